-- Shared by the ingest load scripts: random message ids, message bodies,
-- per-status counting and a JSON summary that bench/load.py reads.
--
-- Environment: BENCH_WRITE_KEY and BENCH_BASIC_AUTH (required), BENCH_BATCH_SIZE (batch.lua).

write_key = os.getenv("BENCH_WRITE_KEY") or error("BENCH_WRITE_KEY is not set")

local threads = {}
local next_thread_id = 1

function setup(thread)
   thread:set("thread_id", next_thread_id)
   next_thread_id = next_thread_id + 1
   table.insert(threads, thread)
end

function init(args)
   -- Each wrk thread has its own Lua state, so seed each one differently.
   math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919 + math.floor(os.clock() * 1e6))
   statuses = {}
end

local function hex(digits)
   local parts = {}
   for i = 1, digits / 4 do
      parts[i] = string.format("%04x", math.random(0, 0xffff))
   end
   return table.concat(parts)
end

-- A random version 4 UUID, as the official SDKs send for messageId.
function random_uuid()
   local variant = string.format("%x", math.random(8, 11))
   return hex(8) .. "-" .. hex(4) .. "-4" .. hex(4):sub(2) .. "-" .. variant .. hex(4):sub(2) .. "-" .. hex(12)
end

function iso_now()
   return os.date("!%Y-%m-%dT%H:%M:%S.000Z")
end

-- One track message as analytics-node sends it.
function track_message(timestamp)
   local user = math.random(1, 5000)
   return '{"type":"track","event":"Order Completed","userId":"user-' .. user .. '",'
      .. '"messageId":"' .. random_uuid() .. '","timestamp":"' .. timestamp .. '",'
      .. '"properties":{"order_id":"ord-' .. math.random(1, 1000000) .. '","revenue":19.99,"currency":"USD",'
      .. '"products":[{"product_id":"sku-1","price":19.99,"quantity":1}]},'
      .. '"context":{"library":{"name":"analytics-node","version":"2.1.0"}}}'
end

-- wrk's LuaJIT has no base64, so bench/load.py encodes the header and passes it in.
basic_authorization = os.getenv("BENCH_BASIC_AUTH") or error("BENCH_BASIC_AUTH is not set")

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

local function status_json(counts)
   local parts = {}
   for status, count in pairs(counts) do
      table.insert(parts, '"' .. status .. '":' .. count)
   end
   return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
   local totals = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses")
      for status, count in pairs(counts) do
         totals[status] = (totals[status] or 0) + count
      end
   end
   local errors = summary.errors
   io.write("BENCH_RESULT {"
      .. '"duration_us":' .. summary.duration
      .. ',"requests":' .. summary.requests
      .. ',"bytes":' .. summary.bytes
      .. ',"statuses":' .. status_json(totals)
      .. ',"errors":{"connect":' .. errors.connect .. ',"read":' .. errors.read .. ',"write":' .. errors.write
      .. ',"status":' .. errors.status .. ',"timeout":' .. errors.timeout .. '}'
      .. ',"latency_us":{"p50":' .. latency:percentile(50) .. ',"p90":' .. latency:percentile(90)
      .. ',"p99":' .. latency:percentile(99) .. ',"max":' .. latency.max .. ',"mean":' .. latency.mean .. '}'
      .. "}\n")
end
