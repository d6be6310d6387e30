-- For `make load` (benchmarks/load.py):
--
--   wrk -t2 -c64 -d60s --latency -s benchmarks/load.lua http://127.0.0.1:8720 -- var/load/paths.txt
--
-- Every thread reads the file of paths (one a line; the mix is the file, a path written three
-- times is asked three times as often) and asks them in turn, each thread from another place in
-- the list. Each response is counted by the 10 ms of CLOCK_MONOTONIC in which it arrived (Python's
-- time.monotonic(): load.py knows when it restarted the database on the same clock), as a
-- success (2xx, 3xx), a stale success (a cached page served while the database did not answer,
-- marked X-Podium-Cache: stale) or a failure (4xx, 5xx). Socket errors reach no script: wrk
-- counts them in its own summary. After wrk's report, done() prints one line per value, in
-- whole numbers, for load.py to read:
--
--   PODIUM_P50_US 1234                      latency percentiles in microseconds (also 95, 99)
--   PODIUM_STATUS 200 180123                responses by status
--   PODIUM_BUCKET 171234560 31 0 2          ms on the monotonic clock: ok, stale, failed
--
-- LuaJIT's ffi gives the clock (wrk has only whole seconds); Debian's wrk is built on LuaJIT.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } podium_timespec;
int clock_gettime(int clock_id, podium_timespec *tp);
]])

local CLOCK_MONOTONIC = 1 -- Linux's clock id, the clock of Python's time.monotonic()
local BUCKET_MS = 10
local clock = ffi.new("podium_timespec")

local function bucket()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  local ms = tonumber(clock.tv_sec) * 1000 + math.floor(tonumber(clock.tv_nsec) / 1000000)
  return ms - ms % BUCKET_MS
end

-- The main state: one entry per thread, to read their counts in done().
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

-- Each thread's state. Globals, so that thread:get() can copy them out in done().
ok, stale, failed, statuses = {}, {}, {}, {}
local queue, position

function init(args)
  local file = assert(io.open(args[1]), "load.lua needs the file of paths after --")
  queue = {}
  for line in file:lines() do
    if line ~= "" then
      table.insert(queue, wrk.format("GET", line))
    end
  end
  file:close()
  assert(#queue > 0, "the file of paths is empty")
  position = (id * 17) % #queue
end

function request()
  position = position % #queue + 1
  return queue[position]
end

function response(status, headers, body)
  local at = bucket()
  statuses[status] = (statuses[status] or 0) + 1
  local counts = ok
  if status >= 400 then
    counts = failed
  elseif headers["X-Podium-Cache"] == "stale" then
    counts = stale
  end
  counts[at] = (counts[at] or 0) + 1
end

local function add(into, from)
  for key, count in pairs(from) do
    into[key] = (into[key] or 0) + count
  end
end

function done(summary, latency, requests)
  for _, p in ipairs({ 50, 95, 99 }) do
    io.write(string.format("PODIUM_P%d_US %d\n", p, latency:percentile(p)))
  end
  local all = { ok = {}, stale = {}, failed = {}, statuses = {} }
  for _, thread in ipairs(threads) do
    for name, into in pairs(all) do
      add(into, thread:get(name))
    end
  end
  local codes = {}
  for code in pairs(all.statuses) do
    table.insert(codes, code)
  end
  table.sort(codes)
  for _, code in ipairs(codes) do
    io.write(string.format("PODIUM_STATUS %d %d\n", code, all.statuses[code]))
  end
  local times, seen = {}, {}
  for _, name in ipairs({ "ok", "stale", "failed" }) do
    for at in pairs(all[name]) do
      if not seen[at] then
        seen[at] = true
        table.insert(times, at)
      end
    end
  end
  table.sort(times)
  for _, at in ipairs(times) do
    io.write(string.format(
      "PODIUM_BUCKET %d %d %d %d\n",
      at,
      all.ok[at] or 0,
      all.stale[at] or 0,
      all.failed[at] or 0
    ))
  end
end
