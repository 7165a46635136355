-- The accounts whose own figures a report may show (comma-separated): those in its scope its requester may read.
-- Null for reports asked before: they show no one's own figures.
alter table report add column person_ids varchar(100000);
