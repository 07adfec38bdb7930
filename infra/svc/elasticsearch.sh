# shellcheck shell=bash
# Elasticsearch 8 from Maven Central's integ-test-zip, on JDK 17, as the non-root user
# `tuoi-es` (Elasticsearch refuses to run as root). That distribution ships only the core
# modules (no analysis-common), so infra/elasticsearch/tuoi-analysis (a tiny plugin built
# here against the distribution's own jars) adds the lowercase, asciifolding and edge_ngram
# token filters the app's analyzers use.

ES_VERSION="${TUOI_ES_VERSION:-8.19.21}"
ES_OS_USER=tuoi-es
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"

elasticsearch_init() {
  ES_HTTP_PORT="$(port_of "$ENV_ELASTICSEARCH_URL")"
  ES_TRANSPORT_PORT="$ENV_ELASTICSEARCH_TRANSPORT_PORT"
  ES_HOME="$CACHE_DIR/elasticsearch-$ES_VERSION"
  ES_DIR="$SERVICES_DIR/elasticsearch"
  ES_LAUNCHER_PID="$ES_DIR/run/launcher.pid"
  ES_SERVER_PID="$ES_DIR/run/server.pid"
  ES_LOG="$LOG_DIR/elasticsearch.log"
}

elasticsearch_addr() { printf '127.0.0.1:%s' "$ES_HTTP_PORT"; }
elasticsearch_timeout() { echo 240; }

elasticsearch_apt_needs() {
  [[ -x "$JAVA_HOME_17/bin/java" ]] || echo openjdk-17-jre-headless
  if [[ ! -f "$ES_HOME/.complete" ]]; then
    command -v mvn >/dev/null || echo maven
    command -v unzip >/dev/null || echo unzip
    [[ -x "$JAVA_HOME_17/bin/javac" ]] || echo openjdk-17-jdk-headless
  fi
  command -v curl >/dev/null || echo curl
  command -v setfacl >/dev/null || echo acl
}

elasticsearch_install() {
  if [[ ! -f "$ES_HOME/.complete" ]]; then with_lock maven elasticsearch_fetch; fi
}

elasticsearch_fetch() {
  [[ -f "$ES_HOME/.complete" ]] && return 0
  local install_log="$LOG_DIR/elasticsearch.install.log" tmp zip
  log "fetching $ES_ARTIFACT from Maven Central (log: $(pretty_path "$install_log"))"
  mvn_cache "$MAVEN_DEPENDENCY_PLUGIN:get" -Dartifact="$ES_ARTIFACT" -Dtransitive=false \
    >>"$install_log" 2>&1 || {
    tail -n 30 "$install_log" >&2
    die "maven could not fetch $ES_ARTIFACT"
  }
  zip="$CACHE_DIR/m2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
  [[ -f "$zip" ]] || die "expected $zip"
  tmp="$(mktemp -d "$CACHE_DIR/.elasticsearch.XXXXXX")"
  unzip -q "$zip" -d "$tmp" || die "unzip $zip failed"
  elasticsearch_build_plugin "$tmp/elasticsearch-$ES_VERSION" >>"$install_log" 2>&1 || {
    tail -n 30 "$install_log" >&2
    rm -rf "$tmp"
    die "building the tuoi-analysis plugin failed"
  }
  touch "$tmp/elasticsearch-$ES_VERSION/.complete"
  rm -rf "$ES_HOME"
  mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
  rm -rf "$tmp"
}

# Compiles infra/elasticsearch/tuoi-analysis against the distribution's jars and installs it
# as a classic plugin in <es home>/plugins/tuoi-analysis.
elasticsearch_build_plugin() {
  local home="$1" src="$INFRA_DIR/elasticsearch/tuoi-analysis" build
  # Called in an `||` context, where set -e does not apply: every step checks itself.
  build="$(mktemp -d)" || return 1
  echo "compiling $src"
  "$JAVA_HOME_17/bin/javac" --release 17 -d "$build/classes" -cp "$home/lib/*" \
    "$src"/src/*.java || return 1
  mkdir -p "$home/plugins/tuoi-analysis" || return 1
  "$JAVA_HOME_17/bin/jar" --create --file "$home/plugins/tuoi-analysis/tuoi-analysis.jar" \
    -C "$build/classes" . || return 1
  sed "s/@ES_VERSION@/$ES_VERSION/" "$src/plugin-descriptor.properties" \
    >"$home/plugins/tuoi-analysis/plugin-descriptor.properties" || return 1
  rm -rf "$build"
}

elasticsearch_alive() {
  pid_alive "$ES_SERVER_PID" org.elasticsearch || pid_alive "$ES_LAUNCHER_PID" elasticsearch
}

elasticsearch_ready() {
  local body
  body="$(curl -fsS -m 5 "http://127.0.0.1:$ES_HTTP_PORT/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null)" ||
    return 1
  [[ "$body" =~ \"status\":\"(green|yellow)\" ]]
}

elasticsearch_write_conf() {
  local conf="$ES_DIR/config"
  mkdir -p "$conf" "$ES_DIR/data" "$ES_DIR/logs" "$ES_DIR/tmp" "$ES_DIR/run"
  cp "$ES_HOME/config/log4j2.properties" "$conf/log4j2.properties"
  # Our own jvm.options: the distribution's writes gc.log relative to ES_HOME, which tuoi-es
  # cannot write. Heap comes from ES_JAVA_OPTS.
  cat >"$conf/jvm.options" <<EOF
-XX:+UseG1GC
-Djava.io.tmpdir=\${ES_TMPDIR}
20-:--add-modules=jdk.incubator.vector
-XX:+ExitOnOutOfMemoryError
-XX:ErrorFile=$ES_DIR/logs/hs_err_pid%p.log
EOF
  local mmap=true
  # Without the recommended vm.max_map_count (262144) fall back to NIO instead of touching
  # kernel settings; fine for tests.
  if (($(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0) < 262144)); then
    mmap=false
  fi
  cat >"$conf/elasticsearch.yml" <<EOF
# Written by infra/svc/elasticsearch.sh on every start; edit that file instead.
cluster.name: tuoi-test
node.name: tuoi-es-1
path.data: $ES_DIR/data
path.logs: $ES_DIR/logs
network.host: 127.0.0.1
http.port: $ES_HTTP_PORT
transport.port: $ES_TRANSPORT_PORT
discovery.type: single-node
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
node.store.allow_mmap: $mmap
EOF
  chown -R "$ES_OS_USER:$ES_OS_USER" "$ES_DIR"
}

elasticsearch_start() {
  ensure_system_user "$ES_OS_USER"
  ensure_traversable "$ES_OS_USER" "$ES_HOME"
  mkdir -p "$ES_DIR"
  ensure_traversable "$ES_OS_USER" "$ES_DIR"
  elasticsearch_write_conf
  log "starting Elasticsearch $ES_VERSION on 127.0.0.1:$ES_HTTP_PORT as $ES_OS_USER"
  rm -f "$ES_SERVER_PID"
  (
    cd "$ES_DIR" || exit 1
    spawn "$ES_LAUNCHER_PID" "$ES_LOG" \
      setpriv --reuid="$ES_OS_USER" --regid="$ES_OS_USER" --init-groups -- \
      env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$ES_DIR" LANG=C.UTF-8 \
      ES_JAVA_HOME="$JAVA_HOME_17" ES_PATH_CONF="$ES_DIR/config" ES_TMPDIR="$ES_DIR/tmp" \
      ES_JAVA_OPTS="-Xms512m -Xmx512m" \
      "$ES_HOME/bin/elasticsearch" -p "$ES_SERVER_PID"
  )
}

elasticsearch_stop() {
  # TERM to the server makes it shut down cleanly; the launcher then exits on its own.
  stop_pid "$ES_SERVER_PID" org.elasticsearch 90
  stop_pid "$ES_LAUNCHER_PID" elasticsearch 30
}
