# Finds the JDK Forgeline builds and runs with; sourced by ./forgeline and ./mvnw (POSIX sh).
# forgeline_jdk prints JAVA_HOME when it is a JDK 21+, else the newest 21+ in the usual install folders,
# else fails with one line saying what is needed.

# The feature version of the JDK in $1 (25 for 25.0.3), read from its release file; 0 when not a JDK.
forgeline_jdk_version() {
  if [ -x "$1/bin/java" ] && [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
    echo "${v:-0}"
  else
    echo 0
  fi
}

forgeline_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ "$(forgeline_jdk_version "$JAVA_HOME")" -ge 21 ]; then
    echo "$JAVA_HOME"; return 0
  fi
  best="" best_version=0
  for candidate in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
                   /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    version=$(forgeline_jdk_version "$candidate")
    if [ "$version" -gt "$best_version" ]; then best="$candidate"; best_version=$version; fi
  done
  if [ -z "$best" ] && command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    best_version=$(forgeline_jdk_version "$candidate")
    best="$candidate"
  fi
  if [ "$best_version" -lt 21 ]; then
    echo "forgeline: no JDK 21 or newer found${JAVA_HOME:+ (JAVA_HOME=$JAVA_HOME is older)}: install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to it" >&2
    return 1
  fi
  echo "$best"
}
