-- wrk script: repeated searches, a rotating set of Chinese and English
-- queries (each thread starts at its own place), and, when RATE is set,
-- pacing that holds the whole run at RATE requests a second: each thread
-- keeps a schedule of when its next request is due (RATE / THREADS a
-- second, shared by its connections) and delays each request until then,
-- so the rate does not sag as latency grows.  TARGET, when set, replaces
-- the search path the query is appended to (run.sh sets it for
-- REQUESTS=match).
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } il_timespec;
int clock_gettime(int clock, il_timespec *ts);
]]
local ts = ffi.new("il_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end
local queries = {
  "%E6%B6%82%E5%B1%82",                                -- 涂层
  "%E9%92%BB%E4%BA%95%E6%B3%B5%E6%9F%B1%E5%A1%9E",     -- 钻井泵柱塞
  "laser+cladding",
  "%E6%BF%80%E5%85%89%E7%86%94%E8%A6%86",              -- 激光熔覆
  "lithium+battery+cathode",
  "%E6%99%BA%E8%83%BD%E5%AE%B6%E7%94%B5",              -- 智能家电
  "fracturing+fluid",
  "%E5%85%89%E7%BA%A4",                                -- 光纤
}
local counter = 0
local target = os.getenv("TARGET") or "/api/v1/search?limit=10&q="
local interval_ms = 0 -- between a thread's requests; 0: as fast as it goes
local started, sent

function setup(thread)
  counter = counter + 1
  thread:set("start", counter)
end

function init(args)
  i = start or 1
  local rate = tonumber(os.getenv("RATE") or "0")
  local threads = tonumber(os.getenv("THREADS") or "1")
  if rate > 0 then
    interval_ms = 1000 * threads / rate
  end
  sent = 0
end

function request()
  i = i % #queries + 1
  return wrk.format("GET", target .. queries[i])
end

function delay()
  if interval_ms == 0 then
    return 0
  end
  local now = now_ms()
  started = started or now
  local due = started + sent * interval_ms
  sent = sent + 1
  return due > now and due - now or 0
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.0f errors=%d non2xx=%d " ..
    "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
