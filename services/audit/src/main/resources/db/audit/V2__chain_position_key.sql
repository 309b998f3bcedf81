-- A stored entry is identified by its place in its region's chain, (region, sequence), not by its id.
--
-- Why: the id is the operation's ce_id, random to the store, and a unique B-tree over random keys was the costliest of
-- the seven indexes (~13 µs of the ~60 µs a row cost to COPY; each region's sequence only grows, so this key is
-- appended to). It is also the right identity for a chain: a redelivered entry has the same place and is skipped, while
-- the same operation chained twice (a producer retrying after the chainer's de-duplication window) is two entries of
-- the chain and both are kept, so verification finds no gap. (time is in the key because a unique constraint of a
-- partitioned table must contain the partition key.) The key serves verification's walk in sequence order too, so
-- events_region_sequence goes; GET by id is an equality look-up, which a hash index answers storing 4 bytes per row.
ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD PRIMARY KEY (region, sequence, time);
DROP INDEX events_region_sequence;
CREATE INDEX events_id ON events USING hash (id);
