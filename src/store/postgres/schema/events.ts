// PostgreSQL DDL for the event tail's wake-up signal: every statement that appends to the ledger
// sends NOTIFY on the `gt_ledger` channel. A NOTIFY is transactional — delivered when the appending
// transaction commits, dropped when it rolls back, folded into one per transaction — so whatever
// code appends (the ledger repository, `gt store copy`), listeners wake exactly when rows appear.
export const ledgerChannel = 'gt_ledger';

export const eventsDdl = `
CREATE FUNCTION gt_ledger_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('${ledgerChannel}', '');
  RETURN NULL;
END
$fn$;
CREATE TRIGGER ledger_notify AFTER INSERT ON ledger
  FOR EACH STATEMENT EXECUTE FUNCTION gt_ledger_notify();
`;
