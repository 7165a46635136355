-- wrk script for bench/analytics.sh: cycles through the paths in $PATHS_FILE (one a line) with the API token in
-- $TOKEN; each connection waits $PACE_MS between requests, so that together they send a steady rate.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local token = os.getenv("TOKEN")
local pace = tonumber(os.getenv("PACE_MS"))
local i = 0
local non200 = 0

function setup(thread)
  thread:set("offset", math.random(#paths))
end

function init()
  i = offset or 0
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Authorization"] = "Bearer " .. token })
end

function delay()
  return pace
end

function response(status)
  if status ~= 200 then non200 = non200 + 1 end
end
