/**
 * Lua run inside Redis: each script is one atomic step, so two processes can never both admit the
 * last place, apply one request twice, or hand out one seq twice. Stream entry ids are `<seq>-0`,
 * so a replay is an XRANGE from `after+1` and the oldest id left after MAXLEN is the oldest seq held.
 * Replies are RESP2-converted inside scripts: a missing key is `false`.
 */

/**
 * Appends one event body (a Lua table) under the next seq; the caller's ARGV gives ts and the bound.
 * The epoch names this numbering of the stream: set with its first seq (`epoch` is a fresh candidate
 * per call), so a Redis that restarted empty gets a new one whoever writes first.
 */
const APPEND = `
local function append(seqKey, streamKey, ts, maxlen, body, epochKey, epoch)
  redis.call('SET', epochKey, epoch, 'NX')
  local seq = redis.call('INCR', seqKey)
  redis.call('XADD', streamKey, 'MAXLEN', maxlen, seq .. '-0', 'ts', ts, 'body', cjson.encode(body))
  return seq
end
`;

/** Gym.verdictFor and Gym.checkIn, as one step. */
export const CHECKIN = {
  numberOfKeys: 10,
  // KEYS: seq, events, inside, last, members, cards, reply, overrides, epoch, meta
  // ARGV: cardId, source, now, duplicateWindowMs, capacity, maxlen, replyTtlSec, hasReply, hasOverride, note, staff, epoch,
  //       visit start (the bounded scannedAt, else now), hasScan, the console's offline verdict as JSON (or '')
  lua: `${APPEND}
local card, source, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local hasReply = ARGV[8] == '1'
if hasReply then
  local prev = redis.call('GET', KEYS[7])
  if prev then return {0, prev} end
end
local member, mjson = nil, false
local mid = redis.call('HGET', KEYS[6], card)
-- No roster at all (the Redis emptied while running, not yet seeded again): no card is known, and none is unknown.
if not mid and redis.call('EXISTS', KEYS[10]) == 0 then return redis.error_reply('NOROSTER the roster is not in Redis yet') end
if mid then mjson = redis.call('HGET', KEYS[5], mid) end
if mjson then member = cjson.decode(mjson) end
local occ = redis.call('HLEN', KEYS[3])
local allowed, reason = false, 'unknown-card'
if member then
  local last = redis.call('HGET', KEYS[4], member.id)
  if member.status == 'expired' or member.status == 'frozen' or member.status == 'unpaid' then
    reason = member.status
  elseif redis.call('HEXISTS', KEYS[3], member.id) == 1 or (last and now - tonumber(last) < tonumber(ARGV[4])) then
    reason = 'duplicate'
  elseif occ >= tonumber(ARGV[5]) then
    reason = 'capacity-full'
  else
    allowed = true
    reason = member.status == 'expiring' and 'expiring-soon' or 'ok'
  end
  -- Staff may let a known member in past any denial but capacity.
  -- Nor past capacity by another road: a frozen member was let into a full gym. One inside adds nobody.
  if ARGV[9] == '1' and not allowed and reason ~= 'capacity-full' then
    if redis.call('HEXISTS', KEYS[3], member.id) == 0 and occ >= tonumber(ARGV[5]) then
      reason = 'capacity-full'
    else
      allowed, reason = true, 'override'
      redis.call('RPUSH', KEYS[8], cjson.encode({memberId = member.id, note = ARGV[10], staff = ARGV[11], at = now}))
      redis.call('LTRIM', KEYS[8], -1000, -1)
    end
  end
  -- Turned away at the door while the PC was offline: the member did not come in, so they are never counted inside.
  if allowed and ARGV[15] ~= '' then
    local door = cjson.decode(ARGV[15])
    if door.allowed == false then allowed, reason = false, door.reason end
  end
  -- A held check-in's visit started at its scan: the maximum visit and the duplicate window count from then.
  if allowed then
    -- One already inside (an override of "already checked in") adds nobody: HSET says whether the field is new.
    occ = occ + redis.call('HSET', KEYS[3], member.id, ARGV[13])
    redis.call('HSET', KEYS[4], member.id, ARGV[13])
  end
end
local verdict = {allowed = allowed, reason = reason}
local brief = cjson.null
if member then brief = {id = member.id, name = member.name, status = member.status} end
-- cjson writes 14 significant digits: whole ms stay exact until the year 5138.
local scannedAt = nil
if ARGV[14] == '1' then scannedAt = tonumber(ARGV[13]) end
-- Checked by the instance before it came here: {allowed, reason} only.
local decidedOffline = nil
if ARGV[15] ~= '' then decidedOffline = cjson.decode(ARGV[15]) end
local event = {kind = 'checkin', cardId = card, member = brief, verdict = verdict, source = source, occupancy = occ, scannedAt = scannedAt, decidedOffline = decidedOffline}
if reason == 'override' then event.override = {note = ARGV[10], staff = ARGV[11]} end
if ARGV[16] ~= '' then event.requestId = ARGV[16] end
local seq = append(KEYS[1], KEYS[2], ARGV[3], ARGV[6], event, KEYS[9], ARGV[12])
local reply = '{"verdict":' .. cjson.encode(verdict) .. ',"member":' .. (mjson or 'null') ..
  ',"occupancy":' .. occ .. ',"seq":' .. seq .. '}'
if hasReply then redis.call('SET', KEYS[7], reply, 'NX', 'EX', ARGV[7]) end
return {1, reply}
`,
} as const;

const CHECKOUT_ONE = `
local function checkout(memberId, auto, ts, maxlen, epoch)
  if redis.call('HDEL', KEYS[3], memberId) == 0 then return false end
  local mjson = redis.call('HGET', KEYS[4], memberId)
  local name = mjson and cjson.decode(mjson).name or memberId
  return append(KEYS[1], KEYS[2], ts, maxlen,
    {kind = 'checkout', memberId = memberId, name = name, auto = auto, occupancy = redis.call('HLEN', KEYS[3])}, KEYS[5], epoch)
end
`;

export const CHECKOUT = {
  numberOfKeys: 5,
  // KEYS: seq, events, inside, members, epoch. ARGV: memberId, auto, now, maxlen, epoch
  lua: `${APPEND}${CHECKOUT_ONE}
return checkout(ARGV[1], ARGV[2] == '1', ARGV[3], ARGV[4], ARGV[5]) and 1 or 0
`,
} as const;

/** Everyone inside since `cutoff` or earlier goes out (the maximum visit length ran out). */
export const SWEEP = {
  numberOfKeys: 5,
  // KEYS: seq, events, inside, members, epoch. ARGV: cutoff, now, maxlen, epoch
  lua: `${APPEND}${CHECKOUT_ONE}
local cutoff, n = tonumber(ARGV[1]), 0
local all = redis.call('HGETALL', KEYS[3])
for i = 1, #all, 2 do
  if tonumber(all[i + 1]) <= cutoff and checkout(all[i], true, ARGV[2], ARGV[3], ARGV[4]) then n = n + 1 end
end
return n
`,
} as const;

export const ACTION = {
  numberOfKeys: 2,
  // KEYS: marker, actions. ARGV: key, kind, data, ttlSec, keep
  lua: `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[4]) then return 0 end
redis.call('RPUSH', KEYS[2], cjson.encode({key = ARGV[1], kind = ARGV[2], data = ARGV[3]}))
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[5]), -1)
return 1
`,
} as const;

/** Head, oldest seq held, the events after `after`, and their epoch (one consistent read). */
export const REPLAY = {
  numberOfKeys: 3,
  // KEYS: seq, events, epoch. ARGV: after
  lua: `
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
local first = oldest and tonumber(string.match(oldest[1], '^(%d+)')) or head + 1
local from = math.max(tonumber(ARGV[1]) + 1, first)
return {head, first, redis.call('XRANGE', KEYS[2], string.format('%d', from), '+'), redis.call('GET', KEYS[3])}
`,
} as const;

export const SNAPSHOT = {
  numberOfKeys: 4,
  // KEYS: seq, events, inside, epoch. ARGV: recent
  lua: `
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
return {head, redis.call('HLEN', KEYS[3]), redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', ARGV[1]), redis.call('GET', KEYS[4])}
`,
} as const;

/** The stream's head and epoch, naming one (a fresh candidate) if it has none: how a tail knows which numbering it follows. */
export const NUMBERING = {
  numberOfKeys: 2,
  // KEYS: seq, epoch. ARGV: epoch
  lua: `
redis.call('SET', KEYS[2], ARGV[1], 'NX')
return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('GET', KEYS[2])}
`,
} as const;

/** Writes the seeded roster once; a Redis already holding one keeps it (its changes are the truth). */
export const SEED = {
  numberOfKeys: 3,
  // KEYS: members, cards, meta. ARGV: fingerprint, then id, cardId, json per member
  lua: `
local had = redis.call('GET', KEYS[3])
if had then return had end
for i = 2, #ARGV, 3 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
  redis.call('HSET', KEYS[2], ARGV[i + 1], ARGV[i])
end
redis.call('SET', KEYS[3], ARGV[1])
return ARGV[1]
`,
} as const;

/** A roster change: the member's new record, and a note on the change stream every instance tails. */
export const SET_MEMBER = {
  numberOfKeys: 2,
  // KEYS: members, roster stream. ARGV: memberId, status
  lua: `
local mjson = redis.call('HGET', KEYS[1], ARGV[1])
if not mjson then return 0 end
local m = cjson.decode(mjson)
m.status = ARGV[2]
local json = cjson.encode(m)
redis.call('HSET', KEYS[1], ARGV[1], json)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', 10000, '*', 'member', json)
return 1
`,
} as const;
