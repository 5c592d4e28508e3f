#!/usr/bin/env bash
# The JVM options and memory environment of the JVM image, read from docker/Dockerfile.jvm, so the
# benchmarks run the service exactly as the image does and the options live in one place.
#
#   source bench/rss-image-options.sh   # sets IMAGE_JAVA_OPTS, IMAGE_JDK25_OPTS and IMAGE_MALLOC_ARENA_MAX
#   bench/rss-image-options.sh          # prints them
#
# IMAGE_JAVA_OPTS is GC_CONTAINER_OPTIONS followed by CONTACTS_JVM_MEMORY (the image's run-java.sh puts
# its own defaults first and JAVA_OPTS_APPEND, which carries CONTACTS_JVM_MEMORY, last, so these win).
# IMAGE_JDK25_OPTS is CONTACTS_JVM_JDK25, the image JDK's options that JDK 17 does not know; add it when the
# service runs on JDK 25 or later (image_java_opts_for <java> prints the whole set for a java binary).
# IMAGE_MALLOC_ARENA_MAX is the image's MALLOC_ARENA_MAX (glibc), empty if the image does not set it.
_rss_dockerfile="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/docker/Dockerfile.jvm"
_rss_env() { sed -n "s/^ENV $1=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$_rss_dockerfile" | tail -1; }
IMAGE_JAVA_OPTS="$(_rss_env GC_CONTAINER_OPTIONS) $(_rss_env CONTACTS_JVM_MEMORY)"
IMAGE_JDK25_OPTS=$(_rss_env CONTACTS_JVM_JDK25)
IMAGE_MALLOC_ARENA_MAX=$(_rss_env MALLOC_ARENA_MAX)
if [[ -z "$(_rss_env CONTACTS_JVM_MEMORY)" || -z "$(_rss_env GC_CONTAINER_OPTIONS)" ]]; then
  echo "rss-image-options: GC_CONTAINER_OPTIONS or CONTACTS_JVM_MEMORY not found in $_rss_dockerfile" >&2
  return 1 2>/dev/null || exit 1
fi
unset -f _rss_env
unset _rss_dockerfile
image_java_opts_for() { # <java binary>: the image's options as that JVM takes them
  local major
  major=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  if (( ${major:-0} >= 25 )); then echo "$IMAGE_JAVA_OPTS $IMAGE_JDK25_OPTS"; else echo "$IMAGE_JAVA_OPTS"; fi
}
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "IMAGE_JAVA_OPTS=$IMAGE_JAVA_OPTS"
  echo "IMAGE_JDK25_OPTS=$IMAGE_JDK25_OPTS"
  echo "IMAGE_MALLOC_ARENA_MAX=$IMAGE_MALLOC_ARENA_MAX"
fi
