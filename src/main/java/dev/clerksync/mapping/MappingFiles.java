package dev.clerksync.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.clerksync.InvalidConfigurationException;
import dev.clerksync.store.OwnTables;
import dev.clerksync.store.RecordKind;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads every {@code *.yaml} / {@code *.yml} file of {@code MAPPINGS_DIR} (contract §11), in name
 * order, and checks each mapping's form: its keys, record kind, sources, one id across the files.
 * What the stores must confirm (tables, columns, unique keys) is {@link MappingCheck}'s. Unknown keys
 * are refused too: a misspelt {@code colums:} would otherwise map nothing, silently.
 */
final class MappingFiles {

    private static final Set<String> MAPPING_KEYS = Set.of("id", "record", "postgres", "mongodb");
    private static final Set<String> TABLE_KEYS = Set.of("table", "key", "columns", "on-delete");
    private static final Set<String> COLLECTION_KEYS = Set.of("collection", "key", "fields", "on-delete");

    private MappingFiles() {
    }

    /** The mappings of the folder; none when it is absent or holds no mapping file. */
    static List<Mapping> read(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(MappingFiles::isMappingFile).sorted().toList();
        } catch (IOException e) {
            throw new InvalidConfigurationException("MAPPINGS_DIR " + folder + " cannot be read: " + e.getMessage());
        }
        List<Mapping> mappings = new ArrayList<>();
        Map<String, String> fileOfId = new HashMap<>();
        for (Path file : files) {
            for (Mapping mapping : readFile(file)) {
                String first = fileOfId.putIfAbsent(mapping.id(), mapping.file());
                if (first != null) {
                    throw mapping.problem("duplicate id: " + first + " has a mapping '" + mapping.id() + "' already");
                }
                mappings.add(mapping);
            }
        }
        return mappings;
    }

    private static boolean isMappingFile(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(path) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    static List<Mapping> readFile(Path path) {
        String file = path.toString();
        Object document;
        try {
            document = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build())
                    .loadFromString(Files.readString(path));
        } catch (YamlEngineException e) {
            throw InvalidMapping.of(file, null, "not valid YAML: " + e.getMessage());
        } catch (IOException e) {
            throw InvalidMapping.of(file, null, "cannot be read: " + e.getMessage());
        }
        if (document == null) {
            return List.of();
        }
        if (!(document instanceof Map<?, ?> root) || !(root.get("mappings") instanceof List<?> entries)
                || root.size() != 1) {
            throw InvalidMapping.of(file, null, "the file must hold one key, mappings:, a list of mappings");
        }
        List<Mapping> mappings = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Mapping mapping = mapping(file, i, entries.get(i));
            if (!ids.add(mapping.id())) {
                throw mapping.problem("duplicate id in this file");
            }
            mappings.add(mapping);
        }
        return mappings;
    }

    private static Mapping mapping(String file, int index, Object entry) {
        if (!(entry instanceof Map<?, ?> fields)) {
            throw InvalidMapping.of(file, null, "entry " + (index + 1) + " of mappings is not a map");
        }
        Object idValue = fields.get("id");
        if (!(idValue instanceof String id) || id.isBlank()) {
            throw InvalidMapping.of(file, null, "entry " + (index + 1) + " of mappings has no id");
        }
        Mapping unchecked = new Mapping(file, id, null, null, null);
        unknownKeys(unchecked, fields, MAPPING_KEYS, "the mapping");
        RecordKind kind = SourceColumns.mappable(String.valueOf(fields.get("record")));
        if (kind == null) {
            throw unchecked.problem("unknown record '" + fields.get("record") + "': user, organization, membership, "
                    + "subscription, subscriptionItem or audit");
        }
        Mapping named = new Mapping(file, id, kind, null, null);
        Mapping.Table table = fields.containsKey("postgres") ? table(named, fields.get("postgres")) : null;
        Mapping.Collection collection = fields.containsKey("mongodb") ? collection(named, fields.get("mongodb")) : null;
        if (table == null && collection == null) {
            throw named.problem("neither postgres: nor mongodb: — nothing to write");
        }
        return new Mapping(file, id, kind, table, collection);
    }

    private static Mapping.Table table(Mapping mapping, Object value) {
        Map<?, ?> target = section(mapping, value, "postgres", TABLE_KEYS);
        String name = text(mapping, target, "table", "postgres");
        String key = text(mapping, target, "key", "postgres");
        int dot = name.indexOf('.');
        String schema = dot < 0 ? null : name.substring(0, dot);
        String table = dot < 0 ? name : name.substring(dot + 1);
        if ((schema == null || schema.equals("public")) && OwnTables.NAMES.contains(table)) {
            throw mapping.problem("postgres.table: '" + name + "' is one of clerk-sync's own tables: map into a table of yours");
        }
        Map<String, Source> columns = sources(mapping, target.get("columns"), "postgres.columns", key);
        return new Mapping.Table(schema, table, key, columns, onDelete(mapping, target, "postgres"));
    }

    private static Mapping.Collection collection(Mapping mapping, Object value) {
        Map<?, ?> target = section(mapping, value, "mongodb", COLLECTION_KEYS);
        String name = text(mapping, target, "collection", "mongodb");
        String key = text(mapping, target, "key", "mongodb");
        if (key.startsWith("$") || name.startsWith("system.") || name.contains("$")) {
            throw mapping.problem("mongodb: '" + name + "' / '" + key + "' is not a collection and field MongoDB accepts");
        }
        if (OwnTables.NAMES.contains(name)) {
            throw mapping.problem("mongodb.collection: '" + name + "' is one of clerk-sync's own collections: map into a collection of yours");
        }
        Map<String, Source> fields = sources(mapping, target.get("fields"), "mongodb.fields", key);
        for (String field : fields.keySet()) {
            if (field.startsWith("$") || field.equals("_id") || field.startsWith("_clerkSync")) {
                throw mapping.problem("mongodb.fields: '" + field + "' cannot be written (a $ name, _id, or clerk-sync's _clerkSync)");
            }
        }
        return new Mapping.Collection(name, key, fields, onDelete(mapping, target, "mongodb"));
    }

    private static Map<?, ?> section(Mapping mapping, Object value, String name, Set<String> keys) {
        if (!(value instanceof Map<?, ?> section)) {
            throw mapping.problem(name + ": must be a map");
        }
        unknownKeys(mapping, section, keys, name + ":");
        return section;
    }

    private static Map<String, Source> sources(Mapping mapping, Object value, String where, String key) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> entries)) {
            throw mapping.problem(where + ": must be a map of name: source");
        }
        Map<String, Source> sources = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            String name = String.valueOf(entry.getKey());
            if (name.equals(key)) {
                throw mapping.problem(where + ": '" + name + "' is the key, which holds the record's id: leave it out");
            }
            if (!(entry.getValue() instanceof String source)) {
                throw mapping.problem(where + "." + name + ": the source must be text");
            }
            try {
                sources.put(name, Source.parse(source, mapping.record()));
            } catch (IllegalArgumentException e) {
                throw mapping.problem(where + "." + name + ": " + e.getMessage());
            }
        }
        return sources;
    }

    private static Mapping.OnDelete onDelete(Mapping mapping, Map<?, ?> target, String where) {
        Object value = target.get("on-delete");
        if (value == null || value.equals("delete")) {
            return Mapping.OnDelete.DELETE;
        }
        if (value.equals("keep")) {
            return Mapping.OnDelete.KEEP;
        }
        throw mapping.problem(where + ".on-delete: '" + value + "' is neither delete nor keep");
    }

    private static String text(Mapping mapping, Map<?, ?> section, String key, String where) {
        if (!(section.get(key) instanceof String text) || text.isBlank()) {
            throw mapping.problem(where + "." + key + " is missing");
        }
        return text;
    }

    private static void unknownKeys(Mapping mapping, Map<?, ?> fields, Set<String> known, String where) {
        for (Object key : fields.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw mapping.problem("unknown key '" + key + "' in " + where + " (expected " + String.join(", ", known) + ")");
            }
        }
    }
}
