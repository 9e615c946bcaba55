-- POST /v1/batch: {"batch": [...]} of BENCH_BATCH_SIZE track messages (default 100).
dofile("common.lua")

local size = tonumber(os.getenv("BENCH_BATCH_SIZE") or "100")
local headers = {["Content-Type"] = "application/json", ["Authorization"] = basic_authorization}

function request()
   local timestamp = iso_now()
   local messages = {}
   for i = 1, size do
      messages[i] = track_message(timestamp)
   end
   local body = '{"batch":[' .. table.concat(messages, ",") .. '],"sentAt":"' .. timestamp .. '"}'
   return wrk.format("POST", "/v1/batch", headers, body)
end
