-- wrk script: anonymous proposal submissions at random points of the medina of Tunis (commune
-- 1111), each with a fresh participant token, a theme and an Arabic or French text.
local themes = {"roads", "lighting", "waste", "green_spaces", "water_sanitation", "mobility"}
local n = 0
function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8), 16) or 0))
end
function request()
  n = n + 1
  local lon = 10.160 + math.random() * 0.025
  local lat = 36.792 + math.random() * 0.014
  local body = string.format(
    '{"geometry":{"type":"Point","coordinates":[%.6f,%.6f]},"theme":"%s","lang":"fr","title":"Proposition %d","body":"Texte de la proposition numéro %d","author_contact":"bench@example.tn"}',
    lon, lat, themes[(n % #themes) + 1], n, n)
  local headers = {["Content-Type"] = "application/json",
                   ["X-Participant"] = string.format("bench-participant-%08d-%06d", math.random(0, 99999999), n)}
  return wrk.format("POST", "/api/participation/proposals", headers, body)
end
local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  io.write(string.format("submit: %d requests, %.1f/s, p50 %.1f ms, p99 %.1f ms, non-2xx %d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status))
end
