// clerk-sync admin page. Every stored string (ids, names, payloads) comes from Clerk webhooks, that
// is from outside: it is only ever put into the page as textContent, never as HTML.
(function () {
  'use strict';

  var REFRESH_MS = 3000;
  // The status counts a day of deliveries: every fifth refresh is enough for a panel.
  var STATUS_EVERY = 5;
  var ticks = 0;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  // Where the API is: the page's origin and an absolute path. Never a URL relative to the page: when
  // the page was opened as http://admin:TOKEN@host/admin/, such a URL would carry the credentials, and
  // fetch() refuses a URL with credentials. The origin has none; the browser sends the Basic
  // credentials it answered the page's challenge with by itself.
  var API = location.origin + '/admin/api/';

  // What each store is ("PostgreSQL", "embedded H2 (./data)"), from the status; its key until then.
  var storeLabels = {};

  function storeLabel(key) {
    return storeLabels[key] || key;
  }

  // For a column head: the label without where the store keeps its files ("embedded H2").
  function storeColumn(key) {
    return storeLabel(key).replace(/ \(.*\)$/, '');
  }

  function getJson(path) {
    return fetch(API + path, { headers: { 'Accept': 'application/json' }, cache: 'no-store' }).then(function (response) {
      if (response.status === 404) { return null; }
      if (!response.ok) { throw new Error(path + ' answered ' + response.status); }
      return response.json();
    });
  }

  function show(id, visible) {
    document.getElementById(id).hidden = !visible;
  }

  function message(text) {
    var node = document.getElementById('message');
    node.textContent = text || '';
    node.hidden = !text;
  }

  function link(text, hash) {
    var a = el('a', text);
    a.href = hash;
    return a;
  }

  function display(value) {
    if (value === null || value === undefined) { return ''; }
    if (typeof value === 'object') { return JSON.stringify(value, null, 2); }
    return String(value);
  }

  function outcomeCell(outcome) {
    return el('td', outcome === null || outcome === undefined ? 'missing' : outcome,
      'outcome-' + (outcome || 'missing'));
  }

  function deliveriesTable(table, deliveries) {
    clear(table);
    if (!deliveries.length) {
      var empty = el('tr');
      empty.appendChild(el('td', 'No deliveries.'));
      table.appendChild(empty);
      return;
    }
    var stores = Object.keys(deliveries[0].stores);
    var head = el('tr');
    ['received', 'svix-id', 'type', 'subject', 'user'].forEach(function (name) { head.appendChild(el('th', name)); });
    stores.forEach(function (store) { head.appendChild(el('th', storeColumn(store))); });
    table.appendChild(head);
    deliveries.forEach(function (delivery) {
      var row = el('tr');
      row.setAttribute('data-event-id', delivery.event_id);
      row.appendChild(el('td', delivery.received_at, 'mono'));
      var id = el('td', null, 'mono');
      id.appendChild(link(delivery.event_id, '#delivery/' + encodeURIComponent(delivery.event_id)));
      row.appendChild(id);
      row.appendChild(el('td', delivery.event_type));
      var subject = el('td', null, 'mono');
      if (delivery.subject_id) { subject.appendChild(link(delivery.subject_id, '#record/' + encodeURIComponent(delivery.subject_id))); }
      row.appendChild(subject);
      var user = el('td', null, 'mono');
      if (delivery.user_id) { user.appendChild(link(delivery.user_id, '#record/' + encodeURIComponent(delivery.user_id))); }
      row.appendChild(user);
      stores.forEach(function (store) { row.appendChild(outcomeCell(delivery.stores[store])); });
      table.appendChild(row);
    });
  }

  function refreshRecent() {
    return getJson('deliveries?limit=25').then(function (page) {
      deliveriesTable(document.getElementById('recent'), page.deliveries);
      nothingYet.deliveries = page.deliveries.length === 0;
      document.getElementById('recent-updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    }).catch(function (error) { message(error.message); });
  }

  function tile(parent, title, lines) {
    var node = el('div', null, 'tile');
    node.appendChild(el('b', title));
    lines.forEach(function (line) {
      var text = el('div', line[0], line[1]);
      node.appendChild(text);
    });
    parent.appendChild(node);
  }

  function refreshStatus() {
    return getJson('status').then(function (status) {
      var panel = document.getElementById('status');
      clear(panel);
      Object.keys(status.stores).forEach(function (name) { storeLabels[name] = status.stores[name].label || name; });
      tile(panel, 'Stores', Object.keys(status.stores).map(function (name) {
        var healthy = status.stores[name].healthy;
        return [storeLabel(name) + ': ' + (healthy ? 'healthy' : 'DOWN'), healthy ? 'healthy' : 'unhealthy'];
      }));
      ['last_hour', 'last_day'].forEach(function (period) {
        var counts = status.deliveries[period];
        tile(panel, 'Deliveries, ' + period.replace('_', ' '), Object.keys(counts).map(function (outcome) {
          return [outcome + ': ' + counts[outcome], 'outcome-' + outcome];
        }));
      });
      var events = status.change_events;
      tile(panel, 'Change events', events === null ? [['not published (no broker)']] : [
        ['pending: ' + events.pending, events.pending > 0 ? 'outcome-stale' : 'healthy'],
        ['oldest waiting: ' + Math.round(events.oldest_pending_age_seconds) + ' s'],
        ['parked: ' + events.parked, events.parked > 0 ? 'unhealthy' : '']]);
      var backfill = status.last_backfill;
      tile(panel, 'Last backfill', backfill === null ? [['none']] : [
        [backfill.run_id, 'mono'], [backfill.status + (backfill.options ? ' (' + backfill.options + ')' : '')],
        ['started ' + backfill.started_at], ['finished ' + (backfill.finished_at || '—')]]);
      reconcileTile(panel, status.last_reconcile);
    }).catch(function (error) { message(error.message); });
  }

  // The last reconcile pass (scheduled by RECONCILE_EVERY or run by hand) and what it found per kind.
  function reconcileTile(panel, reconcile) {
    if (reconcile === null || reconcile === undefined) {
      tile(panel, 'Last reconcile', [['none']]);
      return;
    }
    var lines = [[reconcile.run_id, 'mono'], [reconcile.status], ['finished ' + (reconcile.finished_at || '—')]];
    Object.keys(reconcile.drift || {}).forEach(function (kind) {
      var counts = reconcile.drift[kind];
      var found = Object.keys(counts).filter(function (name) { return counts[name] > 0; });
      lines.push([kind + ': ' + (found.length === 0 ? 'no drift' : found.map(function (name) {
        return name.replace(/_/g, ' ') + ' ' + counts[name];
      }).join(', ')), found.length === 0 ? 'healthy' : 'outcome-stale']);
    });
    tile(panel, 'Last reconcile', lines);
  }

  // The users and organizations lists: the search they show (q) and the page (after, a cursor).
  var lists = {
    users: { q: '', after: null, columns: ['id', 'email', 'name', 'created_at', 'deleted_at'] },
    organizations: { q: '', after: null, columns: ['id', 'name', 'slug', 'created_at', 'deleted_at'] }
  };
  // What the first screen waits for: no delivery, no user, no organization.
  var nothingYet = { deliveries: false, users: false, organizations: false };

  function listCell(kind, record, column) {
    if (column === 'id') {
      var id = el('td', null, 'mono');
      id.appendChild(link(record.id, '#record/' + encodeURIComponent(record.id)));
      return id;
    }
    if (column === 'name' && kind === 'users') {
      return el('td', [record.first_name, record.last_name].filter(Boolean).join(' ') || record.username || '');
    }
    return el('td', record[column] || '', /_at$/.test(column) || column === 'email' || column === 'slug' ? 'mono' : '');
  }

  function refreshList(kind) {
    var list = lists[kind];
    var query = 'limit=20' + (list.q ? '&q=' + encodeURIComponent(list.q) : '')
      + (list.after ? '&after=' + encodeURIComponent(list.after) : '');
    return getJson(kind + '?' + query).then(function (page) {
      var records = page[kind];
      if (!list.q && !list.after) { nothingYet[kind] = records.length === 0; }
      var table = document.getElementById(kind);
      clear(table);
      var head = el('tr');
      list.columns.forEach(function (column) { head.appendChild(el('th', column.replace('_at', ''))); });
      table.appendChild(head);
      if (!records.length) {
        var empty = el('tr');
        empty.appendChild(el('td', list.q ? 'None matches.' : 'None.'));
        table.appendChild(empty);
      }
      records.forEach(function (record) {
        var row = el('tr', null, record.deleted_at ? 'deleted' : '');
        row.setAttribute('data-id', record.id);
        list.columns.forEach(function (column) { row.appendChild(listCell(kind, record, column)); });
        table.appendChild(row);
      });
      var title = kind === 'users' ? 'Users' : 'Organizations';
      document.getElementById(kind + '-title').textContent = list.q ? title + ' matching “' + list.q + '”' : title;
      var next = document.getElementById(kind + '-next');
      next.hidden = page.next === null;
      next.setAttribute('data-next', page.next || '');
      document.getElementById(kind + '-first').hidden = !list.after;
      return records.length;
    });
  }

  function showFirstScreen() {
    var empty = nothingYet.deliveries && nothingYet.users && nothingYet.organizations;
    var wasShown = !document.getElementById('first-screen').hidden;
    show('first-screen', empty);
    // the first deliveries arrived: the status counts them now rather than a few refreshes later
    if (wasShown && !empty) { refreshStatus(); }
  }

  function refreshLists() {
    return Promise.all(['users', 'organizations'].map(function (kind) {
      // a later page stays as it is: the rows would move under the reader
      return lists[kind].after ? null : refreshList(kind);
    }));
  }

  function refreshAll() {
    return Promise.all([refreshRecent(), refreshLists()]).then(showFirstScreen)
      .catch(function (error) { message(error.message); });
  }

  function columnName(field) {
    if (field === '_id') { return 'id'; }
    return field.replace(/[A-Z]/g, function (c) { return '_' + c.toLowerCase(); });
  }

  function inColumnNames(copy) {
    var named = {};
    if (copy) { Object.keys(copy).forEach(function (field) { named[columnName(field)] = copy[field]; }); }
    return named;
  }

  // The record's rows and documents in the application's own tables (mappings, docs/mappings.md),
  // each beside what clerk-sync's own copy projects to; the differing columns are marked.
  function showMapped(mapped) {
    var holder = document.getElementById('record-mapped');
    clear(holder);
    if (mapped.length > 0) { holder.appendChild(el('h3', 'Your tables')); }
    mapped.forEach(function (target) {
      var box = el('div', null, 'mapped');
      box.setAttribute('data-mapping', target.mapping);
      box.setAttribute('data-store', target.store);
      box.appendChild(el('b', target.target + ' (' + storeLabel(target.store) + ', mapping ' + target.mapping + ')'));
      var verdict = target.agree ? 'As projected.'
        : target.row === null ? 'Missing: a row is expected.'
        : target.expected === null ? 'Present: no row is expected.'
        : 'Differs in: ' + target.differences.join(', ');
      box.appendChild(el('p', verdict, target.agree ? 'agree' : 'disagree'));
      var table = el('table', null, 'compare');
      var head = el('tr');
      ['column', 'holds', 'expected'].forEach(function (name) { head.appendChild(el('th', name)); });
      table.appendChild(head);
      var fields = Object.keys(target.expected || target.row || {});
      fields.forEach(function (field) {
        var row = el('tr', null, target.differences.indexOf(field) >= 0 ? 'differs' : '');
        row.setAttribute('data-field', field);
        row.appendChild(el('th', field));
        row.appendChild(el('td', target.row === null ? '(no row)' : display(target.row[field]), 'mono'));
        row.appendChild(el('td', target.expected === null ? '(none)' : display(target.expected[field]), 'mono'));
        table.appendChild(row);
      });
      box.appendChild(table);
      holder.appendChild(box);
    });
  }

  function showRecord(id) {
    return getJson('records/' + encodeURIComponent(id)).then(function (record) {
      if (record === null) { return false; }
      var stores = Object.keys(record.stores);
      var copies = stores.map(function (store) { return inColumnNames(record.stores[store]); });
      var fields = [];
      copies.forEach(function (copy) {
        Object.keys(copy).forEach(function (field) { if (fields.indexOf(field) < 0) { fields.push(field); } });
      });
      document.getElementById('record-title').textContent = record.kind + ' ' + record.id;
      var agree = document.getElementById('record-agree');
      agree.textContent = record.agree ? 'The stores agree.' : 'The stores differ in: ' + record.differences.join(', ');
      agree.className = record.agree ? 'agree' : 'disagree';
      var table = document.getElementById('record-table');
      clear(table);
      var head = el('tr');
      head.appendChild(el('th', 'field'));
      stores.forEach(function (store) { head.appendChild(el('th', storeColumn(store) + (record.stores[store] === null ? ' (missing)' : ''))); });
      table.appendChild(head);
      fields.forEach(function (field) {
        var row = el('tr', null, record.differences.indexOf(field) >= 0 ? 'differs' : '');
        row.setAttribute('data-field', field);
        row.appendChild(el('th', field));
        copies.forEach(function (copy, index) {
          var cell = el('td', display(copy[field]), 'mono');
          cell.setAttribute('data-store', stores[index]);
          row.appendChild(cell);
        });
        table.appendChild(row);
      });
      showMapped(record.mapped || []);
      var memberships = document.getElementById('record-memberships');
      clear(memberships);
      var mhead = el('tr');
      ['membership', 'organization', 'user', 'role', 'deleted'].forEach(function (name) { mhead.appendChild(el('th', name)); });
      memberships.appendChild(mhead);
      record.memberships.forEach(function (membership) {
        var row = el('tr');
        [membership.id, membership.organization_id, membership.user_id].forEach(function (value) {
          var cell = el('td', null, 'mono');
          if (value) { cell.appendChild(link(value, '#record/' + encodeURIComponent(value))); }
          row.appendChild(cell);
        });
        row.appendChild(el('td', membership.role));
        row.appendChild(el('td', membership.deleted_at || ''));
        memberships.appendChild(row);
      });
      var billing = document.getElementById('record-billing');
      clear(billing);
      var bhead = el('tr');
      ['billing record', 'kind', 'status', 'updated'].forEach(function (name) { bhead.appendChild(el('th', name)); });
      billing.appendChild(bhead);
      (record.billing || []).forEach(function (entry) {
        var row = el('tr');
        var cell = el('td', null, 'mono');
        cell.appendChild(link(entry.id, '#record/' + encodeURIComponent(entry.id)));
        row.appendChild(cell);
        [entry.kind, entry.status, entry.updated_at || ''].forEach(function (value) { row.appendChild(el('td', value)); });
        billing.appendChild(row);
      });
      deliveriesTable(document.getElementById('record-deliveries'), record.deliveries);
      show('record-view', true);
      return true;
    });
  }

  function showDelivery(id) {
    return getJson('deliveries/' + encodeURIComponent(id)).then(function (delivery) {
      if (delivery === null) { return false; }
      document.getElementById('delivery-title').textContent = 'Delivery ' + id;
      var holder = document.getElementById('delivery-stores');
      clear(holder);
      Object.keys(delivery.stores).forEach(function (store) {
        var box = el('div');
        box.appendChild(el('h3', storeLabel(store)));
        box.appendChild(el('pre', delivery.stores[store] === null ? 'missing' : display(delivery.stores[store]), 'mono'));
        holder.appendChild(box);
      });
      show('delivery-view', true);
      return true;
    });
  }

  // A svix-id is looked up as a delivery first, a Clerk id as a record first, anything else (an
  // email, a name, a slug) in the users and organizations lists first; each then where it was not.
  function find(query) {
    var deliveryFirst = query.indexOf('msg_') === 0 || query.indexOf('backfill:') === 0;
    var recordFirst = /^(user|org|orgmem)_/.test(query);
    var order = deliveryFirst ? [showDelivery, showRecord, searchLists]
      : recordFirst ? [showRecord, showDelivery, searchLists] : [searchLists, showRecord, showDelivery];
    return order[0](query).then(function (found) { return found || order[1](query); }).then(function (found) {
      return found || order[2](query);
    }).then(function (found) {
      if (!found) { message('Nothing found for ' + query); }
    });
  }

  // An email, a name or a slug: the users and organizations that hold it.
  function searchLists(query) {
    lists.users.q = query;
    lists.organizations.q = query;
    lists.users.after = null;
    lists.organizations.after = null;
    return Promise.all([refreshList('users'), refreshList('organizations')]).then(function (counts) {
      return counts[0] + counts[1] > 0;
    });
  }

  function route() {
    show('record-view', false);
    show('delivery-view', false);
    message('');
    var hash = decodeURIComponent(location.hash.replace(/^#/, ''));
    var slash = hash.indexOf('/');
    if (slash < 0 || hash.substring(0, slash) !== 'find') {
      // leaving a search: the lists show everything again
      if (lists.users.q || lists.organizations.q) {
        lists.users.q = lists.organizations.q = '';
        lists.users.after = lists.organizations.after = null;
        refreshLists().catch(function (error) { message(error.message); });
      }
    }
    if (slash < 0) { return; }
    var kind = hash.substring(0, slash);
    var id = hash.substring(slash + 1);
    var shown = kind === 'delivery' ? showDelivery(id) : kind === 'record' ? showRecord(id) : find(id);
    shown.then(function (found) {
      if (found === false) { message('Nothing found for ' + id); }
    }).catch(function (error) { message(error.message); });
  }

  // Replay through Svix: the button asks the service for a sign-in link to Clerk's Svix portal, which
  // the service gets from Clerk with CLERK_SECRET_KEY, and opens it. Without the key it stays disabled
  // and says why.
  function setUpSvixPortal() {
    var button = document.getElementById('svix-portal-open');
    var note = document.getElementById('svix-portal-note');
    getJson('svix-portal').then(function (portal) {
      button.disabled = !portal.available;
      note.textContent = portal.available ? '' : portal.reason;
    }).catch(function (error) { note.textContent = error.message; });
    button.addEventListener('click', function () {
      // Opened during the click, when a page may open a window; pointed at the link once there is one.
      var portalWindow = window.open('', '_blank');
      button.disabled = true;
      note.textContent = 'Asking Clerk for a link…';
      fetch(API + 'svix-portal', { method: 'POST', headers: { 'Accept': 'application/json' }, cache: 'no-store' })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) { throw new Error(body.error || 'svix-portal answered ' + response.status); }
            // Only ever a web page: never a javascript: or data: URL, whatever the answer holds.
            if (!/^https?:\/\//.test(body.url)) { throw new Error('Clerk gave no http(s) link'); }
            return body.url;
          });
        })
        .then(function (url) {
          clear(note);
          if (portalWindow) {
            portalWindow.opener = null;
            portalWindow.location.href = url;
            return;
          }
          // The browser blocked the window: a link the next click follows.
          var open = el('a', 'Open the link Clerk gave');
          open.href = url;
          open.target = '_blank';
          open.rel = 'noopener noreferrer';
          note.appendChild(open);
        })
        .catch(function (error) {
          if (portalWindow) { portalWindow.close(); }
          note.textContent = error.message;
        })
        .then(function () { button.disabled = false; });
    });
  }

  document.getElementById('search').addEventListener('submit', function (event) {
    event.preventDefault();
    var query = document.getElementById('search-input').value.trim();
    if (query) { location.hash = 'find/' + encodeURIComponent(query); }
  });
  window.addEventListener('hashchange', route);
  ['users', 'organizations'].forEach(function (kind) {
    document.getElementById(kind + '-next').addEventListener('click', function (event) {
      lists[kind].after = event.target.getAttribute('data-next') || null;
      refreshList(kind).catch(function (error) { message(error.message); });
    });
    document.getElementById(kind + '-first').addEventListener('click', function () {
      lists[kind].after = null;
      refreshList(kind).catch(function (error) { message(error.message); });
    });
  });

  setUpSvixPortal();
  refreshStatus().then(refreshAll);
  setInterval(function () {
    ticks += 1;
    refreshAll();
    if (ticks % STATUS_EVERY === 0) { refreshStatus(); }
  }, REFRESH_MS);
  route();
}());
