#!/bin/bash
# .adhoc/serve.sh ROOT DATA PORT : a production server pinned to core 0, in the background
ROOT=$1; DATA=$2; PORT=$3; shift 3
rm -f $DATA/*.server-lock
cd $ROOT
env NODE_ENV=production DATA_DIR=$DATA PORT=$PORT HOST=127.0.0.1 BASE_URL=http://localhost:$PORT SESSION_SECRET=$(cat $DATA/bench-secret) LOG_LEVEL=warn SEARCH_WORKERS=0 "$@" \
  taskset -c 0 node --import tsx src/server.ts > /tmp/serve-$PORT.log 2>&1 &
echo $! > /tmp/serve-$PORT.pid
for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:$PORT/healthz && break; sleep 0.2; done
