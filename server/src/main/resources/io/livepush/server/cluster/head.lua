-- Where one channel stands: {epoch, first kept seq, last seq}, or {} when ARGV[3] is '0' and Redis has
-- nothing of the channel.
--
-- KEYS[1] meta    KEYS[2] stream (under the channel's hash tag: one slot on a Redis Cluster)
-- ARGV[1] epoch candidate (random, from the caller)    ARGV[2] max age (ms)
-- ARGV[3] '1': create the meta when missing (a node that follows the channel), '0': read only
-- ARGV[4] (optional) an epoch that lost messages: a node delivered seqs of it that Redis no longer has
--         (a failover to a replica that had not got them). If it is still the channel's epoch, the
--         channel starts again under the candidate, so that no seq of it is ever given to a second message.
--
-- A channel that Redis has nothing of gets its epoch here, so that members who join before the first
-- message and the first message agree on it. Each head read by a following node renews the meta's TTL:
-- a channel someone follows keeps its epoch however quiet it is; one nobody follows or publishes to
-- goes after the max age, and comes back with a new epoch.
local meta, stream = KEYS[1], KEYS[2]
local epoch = redis.call('HGET', meta, 'epoch')
if epoch and ARGV[4] and epoch == ARGV[4] then
  epoch = nil
end
if not epoch then
  if ARGV[3] ~= '1' then
    return {}
  end
  epoch = ARGV[1]
  redis.call('HSET', meta, 'epoch', epoch, 'seq', 0)
  redis.call('DEL', stream)
end
if ARGV[3] == '1' then
  redis.call('PEXPIRE', meta, ARGV[2])
end
local last = tonumber(redis.call('HGET', meta, 'seq') or '0')
local first = last + 1
local oldest = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
if #oldest > 0 then
  first = tonumber(string.match(oldest[1][1], '^(%d+)-'))
end
return {epoch, first, last}
