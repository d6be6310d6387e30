-- For `make bench` (benchmarks/loadtest.py): wrk -s benchmarks/percentiles.lua … prints, after
-- its own report, the latency percentiles that `--latency` leaves out (it shows 50/75/90/99), one
-- per line in whole microseconds, for loadtest.parse_wrk to read:
--
--   PODIUM_P50_US 101234
--   PODIUM_P95_US 139870
--   PODIUM_P99_US 156002
--
-- wrk calls done() once, after every thread has stopped, with the latencies of all of them;
-- latency:percentile(p) gives microseconds (0 when no response finished within the run).

local percentiles = { 50, 95, 99 }

function done(summary, latency, requests)
  for _, p in ipairs(percentiles) do
    io.write(string.format("PODIUM_P%d_US %d\n", p, latency:percentile(p)))
  end
end
