-- POST /v1/track: one JSON message per request, write key in Basic auth.
dofile("common.lua")

local headers = {["Content-Type"] = "application/json", ["Authorization"] = basic_authorization}

function request()
   return wrk.format("POST", "/v1/track", headers, track_message(iso_now()))
end
