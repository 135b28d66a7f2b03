-- Compare-and-set of one applet's running content, ordered with the room's messages: the new state goes
-- to the room's live channel in the same script, between the messages published before and after it.
--
-- KEYS[1] the room's applets hash: field 'v:<id>' = version, 's:<id>' = the push.v1 AppletState bytes
-- KEYS[2] the room's meta (its seq says which message the update comes after)
-- KEYS[3] live Pub/Sub channel: it gets 'a', the seq it comes after (20 digits), the AppletState
-- ARGV[1] applet id    ARGV[2] expected version (0: any)
-- ARGV[3] AppletState fields 1-2 (room, applet_id), encoded    ARGV[4] fields 4-5 (content, updated_ms)
-- ARGV[5] 'PUBLISH' (one Redis) or 'SPUBLISH' (a Redis Cluster), as in publish.lua
-- ARGV[6] TTL of the hash (ms): renewed by each update, like the room's history
-- returns {1, new version} or, on a stale expected version, {0, current version}
-- All under the room's hash tag: one slot on a Redis Cluster.
local applets, meta, live = KEYS[1], KEYS[2], KEYS[3]
assert(ARGV[5] == 'PUBLISH' or ARGV[5] == 'SPUBLISH', 'ARGV[5]: PUBLISH or SPUBLISH')
local current = tonumber(redis.call('HGET', applets, 'v:' .. ARGV[1]) or '0')
local expected = tonumber(ARGV[2])
if expected ~= 0 and expected ~= current then
  return {0, current}
end
local version = current + 1

local function varint(n)
  local out = {}
  while n >= 128 do
    out[#out + 1] = string.char(n % 128 + 128)
    n = math.floor(n / 128)
  end
  out[#out + 1] = string.char(n)
  return table.concat(out)
end
local state = ARGV[3] .. '\24' .. varint(version) .. ARGV[4]
redis.call('HSET', applets, 'v:' .. ARGV[1], version, 's:' .. ARGV[1], state)
redis.call('PEXPIRE', applets, ARGV[6])
local seq = tonumber(redis.call('HGET', meta, 'seq') or '0')
redis.call(ARGV[5], live, 'a' .. string.format('%020d', seq) .. state)
return {1, version}
