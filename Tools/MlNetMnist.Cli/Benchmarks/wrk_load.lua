-- The load script of `mnist bench serve --client wrk` (WrkLoadGenerator.cs runs it):
--   wrk ... -s wrk_load.lua URL -- BODY_FOLDER BODY_COUNT CONTENT_TYPE MAX_REQUESTS
-- Every request is built once, in init: BODY_FOLDER/0000.body, 0001.body, ... POSTed in turn with
-- CONTENT_TYPE. A thread stops after MAX_REQUESTS. done() prints one "MLNM" summary line and the
-- latency histogram, one "H microseconds count" line per distinct latency.
local prebuilt, count, sent, limit = {}, 0, 0, 0

function init(args)
  local folder, contentType = args[1], args[3]
  count, limit = tonumber(args[2]), tonumber(args[4])
  for i = 0, count - 1 do
    local file = assert(io.open(string.format("%s/%04d.body", folder, i), "rb"))
    prebuilt[i + 1] = wrk.format("POST", nil, { ["Content-Type"] = contentType }, file:read("*a"))
    file:close()
  end
end

function request()
  sent = sent + 1
  if sent > limit then wrk.thread:stop() end
  return prebuilt[(sent - 1) % count + 1]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format("MLNM requests=%d duration=%d connect=%d read=%d write=%d status=%d timeout=%d cpu=%.6f\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, os.clock()))
  -- #latency: the number of distinct latencies; latency(i): the i-th (1-based) in microseconds, and its count
  for i = 1, #latency do
    local value, n = latency(i)
    io.write(string.format("H %d %d\n", value, n))
  end
end
