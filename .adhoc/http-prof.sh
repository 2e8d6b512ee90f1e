#!/bin/bash
# .adhoc/http-prof.sh ROOT DATA URL SECONDS OUTDIR : CPU profile of a server answering URL over HTTP
ROOT=$1; DATA=$2; URL=$3; SECS=${4:-10}; OUT=${5:-/tmp/prof}
rm -rf $OUT; mkdir -p $OUT; rm -f $DATA/*.server-lock
PORT=$((20000 + RANDOM % 10000))
cd $ROOT
NODE_ENV=production DATA_DIR=$DATA PORT=$PORT HOST=127.0.0.1 BASE_URL=http://localhost:$PORT SESSION_SECRET=$(cat $DATA/bench-secret) LOG_LEVEL=warn SEARCH_WORKERS=0 \
  taskset -c 0 node --cpu-prof --cpu-prof-dir=$OUT --import tsx src/server.ts &
PID=$!
for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:$PORT/healthz && break; sleep 0.2; done
H='-H accept-encoding=gzip,deflate,br -H user-agent=Mozilla/5.0(bench)'
taskset -c 1 npx autocannon -c 10 -d 2 $H "http://127.0.0.1:$PORT$URL" > /dev/null 2>&1
T0=$(awk '{print $14+$15}' /proc/$PID/stat)
taskset -c 1 npx autocannon -c 10 -d $SECS $H "http://127.0.0.1:$PORT$URL" 2>&1 | grep -E "requests in|Req/Sec" 
T1=$(awk '{print $14+$15}' /proc/$PID/stat)
echo "cpu ticks $((T1-T0))"
kill -TERM $PID; wait $PID
ls $OUT
