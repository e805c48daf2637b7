ALTER TABLE change_log ALTER COLUMN seq DROP IDENTITY;
CREATE SEQUENCE change_log_seq OWNED BY change_log.seq;
CREATE FUNCTION change_log_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('innolink.copying', true), '') <> 'on' THEN
    PERFORM pg_advisory_xact_lock(hashtext(TG_TABLE_SCHEMA || '.change_log'));
    NEW.seq := nextval(quote_ident(TG_TABLE_SCHEMA) || '.change_log_seq');
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER change_log_append BEFORE INSERT ON change_log
  FOR EACH ROW EXECUTE FUNCTION change_log_append();
CREATE FUNCTION change_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('innolink_changes', TG_TABLE_SCHEMA);
  RETURN NULL;
END $$;
CREATE TRIGGER change_log_notify AFTER INSERT ON change_log
  FOR EACH STATEMENT EXECUTE FUNCTION change_log_notify();
