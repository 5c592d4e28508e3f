-- wrk script of the benchmark kit (bench/run.sh): sends requests that the kit signed just before the run,
-- read from a file, and prints one JSON line of results, the load generator's own CPU time included.
--
--   wrk -t1 -c32 -d8s -s bench/wrk/presigned.lua http://127.0.0.1:8095 -- <requests file> <write: 0|1>
--
-- The file holds complete HTTP/1.1 requests, each after a line with its length in bytes. Reads cycle
-- through the file (a signature stays valid for the service's timestamp window and reads are not
-- replay-checked); writes carry a unique body each and must never be sent twice, so a write file that
-- runs out is reported (wrapped > 0) and the kit discards the row. Run with one thread (-t1): each
-- thread would otherwise send the same requests.

local requests = {}
local count = 0
local next_index = 0
local write = false
wrapped = 0
cpu_at_start = 0

-- user + system CPU of this process in clock ticks (fields 14 and 15 of /proc/self/stat).
local function cpu_ticks()
  local f = assert(io.open("/proc/self/stat", "r"))
  local stat = f:read("*l")
  f:close()
  local rest = stat:sub(stat:find(")", 1, true) + 2)
  local fields = {}
  for field in rest:gmatch("%S+") do
    fields[#fields + 1] = field
  end
  return tonumber(fields[12]) + tonumber(fields[13])
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  local f = assert(io.open(args[1], "rb"))
  local data = f:read("*a")
  f:close()
  write = args[2] == "1"
  local pos = 1
  while pos <= #data do
    local newline = data:find("\n", pos, true)
    local length = tonumber(data:sub(pos, newline - 1))
    count = count + 1
    requests[count] = data:sub(newline + 1, newline + length)
    pos = newline + length + 1
  end
  -- The file is read and parsed: what this process spends from here on is the load it generates.
  cpu_at_start = cpu_ticks()
end

function request()
  next_index = next_index + 1
  if next_index > count then
    next_index = 1
    if write then
      wrapped = wrapped + 1
    end
  end
  return requests[next_index]
end

function done(summary, latency, requests_done)
  local thread = threads[1]
  local ticks = cpu_ticks() - thread:get("cpu_at_start")
  local errors = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,' ..
    '"status_errors":%d,"timeouts":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"cpu_ticks":%d,"wrapped":%d}\n',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    ticks, thread:get("wrapped")))
end
