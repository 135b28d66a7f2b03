-- One publish to one channel, atomically: idempotency check, epoch (created if missing), seq, XADD with
-- the seq as the entry id and an exact MAXLEN, TTLs, and the PUBLISH to the live channel, so that stream
-- order is delivery order.
--
-- KEYS[1] meta    KEYS[2] stream
-- KEYS[3] live Pub/Sub channel: it gets 'm' followed by the Message
-- KEYS[4] idempotency key (only with a key)
-- ARGV[1] epoch candidate (random, from the caller: the script stays deterministic)
-- ARGV[2] retention (messages)    ARGV[3] max age (ms)    ARGV[4] idempotency window (ms)
-- ARGV[5] 'PUBLISH' (one Redis) or 'SPUBLISH' (a Redis Cluster: sharded, within the channel's shard)
-- ARGV[6] Message field 1 (channel), encoded    ARGV[7] Message fields 4-7, encoded
-- returns {epoch, seq, duplicate (0/1)}
-- Every key, and the live channel, is under the channel's hash tag, so on a Redis Cluster they share a slot
-- and the script runs on its primary; the live channel is declared with the keys for SPUBLISH's sake.
local meta, stream, live, idem = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
assert(ARGV[5] == 'PUBLISH' or ARGV[5] == 'SPUBLISH', 'ARGV[5]: PUBLISH or SPUBLISH')

-- (a) A key seen within the window: the first publish's (epoch, seq), nothing stored or sent (even
-- when the meta was lost since: the answer is still the one the first publish got).
if idem then
  local seen = redis.call('GET', idem)
  if seen then
    local seenEpoch, seenSeq = string.match(seen, '^(.*):(%d+)$')
    return {seenEpoch, tonumber(seenSeq), 1}
  end
end

-- (b) The epoch, created from the caller's candidate when the meta is missing: a first publish, or
-- Redis lost the channel (restart without persistence, FLUSHALL, expiry). A stream left without its
-- meta belongs to the old epoch and must not mix with the new one.
local epoch = redis.call('HGET', meta, 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('HSET', meta, 'epoch', epoch)
  redis.call('DEL', stream)
end

-- (c) The seq.
local seq = redis.call('HINCRBY', meta, 'seq', 1)
local seqText = string.format('%d', seq)

-- The push.v1 Message: the caller's field 1 (channel), fields 2 (epoch) and 3 (seq) from here, the
-- caller's fields 4-7 (kind, payload, publisher, timestamp_ms). Protobuf takes fields in any order
-- and this is the canonical one anyway.
local function varint(n)
  local out = {}
  while n >= 128 do
    out[#out + 1] = string.char(n % 128 + 128)
    n = math.floor(n / 128)
  end
  out[#out + 1] = string.char(n)
  return table.concat(out)
end
local message = ARGV[6] .. '\18' .. varint(#epoch) .. epoch .. '\24' .. varint(seq) .. ARGV[7]

-- (d) Stored under the entry id <seq>-1, so stream order is seq order, trimmed to exactly ARGV[2].
redis.call('XADD', stream, 'MAXLEN', ARGV[2], seqText .. '-1', 'm', message)

-- (e) A channel quiet for longer than the max age goes as a whole (and comes back with a new epoch).
redis.call('PEXPIRE', meta, ARGV[3])
redis.call('PEXPIRE', stream, ARGV[3])
if idem then
  redis.call('SET', idem, epoch .. ':' .. seqText, 'PX', ARGV[4])
end

-- (f) Live delivery last, in the same script: delivery order is stream order.
redis.call(ARGV[5], live, 'm' .. message)
return {epoch, seq, 0}
