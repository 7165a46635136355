-- wrk script: signed GitHub push deliveries, each with its own X-GitHub-Delivery id.
-- Environment: PAYLOAD (file), SIGNATURE (sha256=<hex>), WEBHOOK_PATH, RUN (unique per run), LABEL (names the
-- RESULT line), COPIES (default 1): with 2, every delivery id is sent twice in a row, on two connections at
-- about the same moment, as a forge's redelivery storm does, so half the deliveries are repeats.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(os.getenv("PAYLOAD"), "rb"))
  body = file:read("*all")
  file:close()
  counter = 0
  copies = tonumber(os.getenv("COPIES") or "1")
  run = os.getenv("RUN")
  headers = {
    ["Content-Type"] = "application/json",
    ["X-GitHub-Event"] = "push",
    ["X-Hub-Signature-256"] = os.getenv("SIGNATURE"),
    ["User-Agent"] = "GitHub-Hookshot/bench",
  }
end

function request()
  counter = counter + 1
  -- Consecutive requests of a thread go out on whichever of its connections is free next: two of them share an id.
  headers["X-GitHub-Delivery"] = string.format("%s-%d-%d", run, id, math.floor((counter - 1) / copies))
  return wrk.format("POST", os.getenv("WEBHOOK_PATH"), headers, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local non2xx = summary.errors.status
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %sdeliveries=%d rate=%.0f/s p50=%.1fms p99=%.1fms non2xx=%d socket_errors=%d\n",
    os.getenv("LABEL") or "", summary.requests, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, non2xx, failed))
end
