# shellcheck shell=bash
# Apache Kafka in KRaft combined mode (broker + controller, one node), assembled from Maven
# Central jars (kafka_2.13 + runtime deps + reload4j binding) and run on JDK 17.

KAFKA_VERSION="${TUOI_KAFKA_VERSION:-3.9.1}"
KAFKA_SLF4J_VERSION=1.7.36
KAFKA_RELOAD4J_VERSION=1.2.25

kafka_init() {
  KAFKA_PORT="$(port_of "$ENV_KAFKA_BROKERS")"
  KAFKA_CONTROLLER_PORT="$ENV_KAFKA_CONTROLLER_PORT"
  KAFKA_HOME="$CACHE_DIR/kafka_2.13-$KAFKA_VERSION"
  KAFKA_DIR="$SERVICES_DIR/kafka"
  KAFKA_PID="$KAFKA_DIR/kafka.pid"
  KAFKA_LOG="$LOG_DIR/kafka.log"
}

kafka_addr() { printf '127.0.0.1:%s' "$KAFKA_PORT"; }
kafka_timeout() { echo 120; }

kafka_apt_needs() {
  [[ -x "$JAVA_HOME_17/bin/java" ]] || echo openjdk-17-jre-headless
  [[ -f "$KAFKA_HOME/.complete" ]] || command -v mvn >/dev/null || echo maven
}

kafka_install() {
  if [[ ! -f "$KAFKA_HOME/.complete" ]]; then with_lock maven kafka_fetch; fi
}

kafka_fetch() {
  [[ -f "$KAFKA_HOME/.complete" ]] && return 0
  log "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION from Maven Central" \
    "(log: $(pretty_path "$LOG_DIR/kafka.install.log"))"
  local tmp
  tmp="$(mktemp -d "$CACHE_DIR/.kafka.XXXXXX")"
  cat >"$tmp/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.tuoi</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>$KAFKA_SLF4J_VERSION</version>
    </dependency>
    <dependency>
      <groupId>ch.qos.reload4j</groupId>
      <artifactId>reload4j</artifactId>
      <version>$KAFKA_RELOAD4J_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  mvn_cache -f "$tmp/pom.xml" "$MAVEN_DEPENDENCY_PLUGIN:copy-dependencies" \
    -DoutputDirectory="$tmp/libs" -DincludeScope=runtime >>"$LOG_DIR/kafka.install.log" 2>&1 || {
    tail -n 30 "$LOG_DIR/kafka.install.log" >&2
    rm -rf "$tmp"
    die "maven could not resolve Kafka $KAFKA_VERSION"
  }
  touch "$tmp/.complete"
  rm -rf "$KAFKA_HOME"
  mv "$tmp" "$KAFKA_HOME"
}

kafka_alive() { pid_alive "$KAFKA_PID" kafka.Kafka; }

kafka_ready() {
  timeout 20 node "$INFRA_DIR/probe.mjs" kafka "127.0.0.1:$KAFKA_PORT" >/dev/null 2>&1
}

kafka_java() {
  "$JAVA_HOME_17/bin/java" -cp "$KAFKA_HOME/libs/*" \
    -Dlog4j.configuration="file:$KAFKA_DIR/config/log4j.properties" "$@"
}

kafka_write_conf() {
  mkdir -p "$KAFKA_DIR/config" "$KAFKA_DIR/data"
  cat >"$KAFKA_DIR/config/server.properties" <<EOF
# Written by infra/svc/kafka.sh on every start; edit that file instead.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
auto.create.topics.enable=true
delete.topic.enable=true
num.partitions=8
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
log.segment.bytes=67108864
num.network.threads=2
num.io.threads=4
EOF
  cat >"$KAFKA_DIR/config/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
EOF
}

kafka_format() {
  [[ -f "$KAFKA_DIR/data/meta.properties" ]] && return 0
  local cluster_id=""
  # A Kafka Uuid is 16 random bytes in URL-safe base64 without padding. Like Kafka's own
  # generator, never start with "-": the storage tool would read the id as an option (1 in 64).
  until [[ -n "$cluster_id" && "$cluster_id" != -* ]]; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  done
  log "formatting KRaft storage (cluster id $cluster_id)"
  kafka_java kafka.tools.StorageTool format -t "$cluster_id" \
    -c "$KAFKA_DIR/config/server.properties" >>"$KAFKA_LOG" 2>&1 || {
    tail -n 20 "$KAFKA_LOG" >&2
    die "kafka storage format failed"
  }
}

kafka_start() {
  kafka_write_conf
  kafka_format
  log "starting Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT)"
  (
    cd "$KAFKA_DIR" || exit 1
    spawn "$KAFKA_PID" "$KAFKA_LOG" "$JAVA_HOME_17/bin/java" -Xms512m -Xmx512m \
      -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
      -Dlog4j.configuration="file:$KAFKA_DIR/config/log4j.properties" \
      -Dkafka.logs.dir="$KAFKA_DIR" -cp "$KAFKA_HOME/libs/*" \
      kafka.Kafka "$KAFKA_DIR/config/server.properties"
  )
}

kafka_stop() { stop_pid "$KAFKA_PID" kafka.Kafka 60; }
