-- wrk script: cycle through the fixed tile list (TILE_PATHS), each thread from its own offset.
local paths = {}
for line in io.lines(os.getenv("TILE_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local counter = 0
local threads = 0

function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

function init(args)
  counter = offset or 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
