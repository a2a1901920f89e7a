-- After a chunk: where the next one starts; a chunk that found nothing left finishes the work.
UPDATE cascade_work SET done_through = coalesce(CAST(:#through AS text), done_through),
                        finished_at = CASE WHEN CAST(:#through AS text) IS NULL THEN now() END
WHERE id = :#id
