-- An object that changed nothing leaves no audit entry: its action's statement wrote one as stale.
DELETE FROM audit_log WHERE event_id = :#eventId
