#!/usr/bin/env bash
# Lays out target/container-root, the file system of the container image, for Jib to pack on top of
# an empty (scratch) base (pom.xml, profile "container"; docs/container-image.md says why):
#
#   /opt/java               a Java runtime made with jlink from the JDK that runs Maven (JAVA_HOME)
#   /lib64, /lib/x86_64-linux-gnu   the C libraries that runtime links to (from ldd), and nothing else
#   /etc/passwd, /etc/group the unprivileged user 65532 ("nonroot") the image runs as
#   /etc/nsswitch.conf      host names from /etc/hosts first, then DNS
#   /tmp, /data             empty: temporary files, and the embedded stores' files when no server is set
#   /opt/clerk-sync/clerk-sync.jar  target/clerk-sync.jar, with the file time the image gives it
#   /opt/clerk-sync/clerk-sync.jsa  the class-data-sharing archive of that jar in that runtime
#
# No image is pulled and no daemon is needed: everything comes from this machine's JDK and libraries.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

root=target/container-root runtime_stamp=target/container-runtime.stamp
jar=target/clerk-sync.jar
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
# The runtime's layout (/lib64/ld-linux-x86-64.so.2) and the image's platform (amd64, in pom.xml) are
# those of x86-64: refuse to make an image that says amd64 and holds another machine's binaries.
[[ $(uname -m) == x86_64 ]] || { echo "container-root.sh: only x86_64 is supported, not $(uname -m)" >&2; exit 1; }
[[ -f $jar ]] || { echo "no $jar: build it first (mvn package)" >&2; exit 1; }
[[ -d $java_home/jmods ]] || { echo "no $java_home/jmods: jlink needs the JDK's modules (Debian: openjdk-17-jdk-headless)" >&2; exit 1; }

# java.se is the whole Java SE API (the service and its libraries use java.sql, java.naming,
# java.management, java.desktop's java.beans, ...). The jdk.* modules are found through services
# or reflection, so no dependency analysis would list them: jdk.crypto.ec (TLS key exchange),
# jdk.naming.dns (mongodb+srv:// look-ups), jdk.unsupported (sun.misc.Unsafe for Netty and others),
# jdk.management (the process and CPU metrics), jdk.charsets, jdk.zipfs; jdk.jfr and jdk.jcmd for
# flight recordings and `jcmd 1 Thread.print` in a running container.
modules=java.se,jdk.unsupported,jdk.crypto.ec,jdk.naming.dns,jdk.management,jdk.charsets,jdk.zipfs,jdk.jfr,jdk.jcmd
# AWT, Java 2D and sound are never used (the service is headless); their libraries would need X11,
# FreeType, ALSA and a dozen more C libraries in the image.
desktop_libraries='**/libawt*.so,**/libfontmanager.so,**/libjavajpeg.so,**/libmlib_image.so,**/libsplashscreen.so,**/liblcms.so,**/libjawt.so,**/libjsound.so'
stamp="$(cat "$java_home/release") $modules $desktop_libraries"

# jlink takes 10-25 s: keep the runtime of an earlier build when the JDK and the modules are the same.
if [[ ! -f $runtime_stamp || $(cat "$runtime_stamp") != "$stamp" ]]; then
  rm -rf "$root"
  mkdir -p "$root/opt"
  # --generate-cds-archive writes the runtime's own archive of the JDK's classes (lib/server/classes.jsa);
  # the service's archive below is made on top of it.
  "$java_home/bin/jlink" --add-modules "$modules" --exclude-files="$desktop_libraries" \
    --strip-debug --no-man-pages --no-header-files --generate-cds-archive --output "$root/opt/java"

  # The C libraries the runtime's programs and libraries load, wherever this machine has them, copied
  # to the same path (the runtime's RUNPATH finds its own libraries; glibc's loader finds the rest
  # in its default directories). libjvm.so is listed "not found" by ldd for the libraries that
  # expect the JVM to have loaded it already.
  mapfile -t elves < <(find "$root/opt/java/bin" "$root/opt/java/lib" -type f \( -path '*/bin/*' -o -name '*.so' -o -name jspawnhelper \))
  missing=$(ldd "${elves[@]}" | awk '$3 == "not" && $1 != "libjvm.so" {print $1}' | sort -u)
  [[ -z $missing ]] || { echo "container-root.sh: the runtime needs libraries this machine lacks: $missing" >&2; exit 1; }
  ldd "${elves[@]}" | awk -v runtime="$(readlink -f "$root/opt/java")" '
      $2 == "=>" && $3 ~ /^\// && index($3, runtime) != 1 {print $3}
      $1 ~ /^\// && $2 ~ /^\(/ {print $1}' | sort -u |
    while read -r library; do
      mkdir -p "$root$(dirname "$library")"
      cp -L "$library" "$root$library"
    done

  mkdir -p "$root/etc" "$root/tmp" "$root/data" "$root/opt/clerk-sync"
  # The home directory is /tmp: the only place the user can write under a read-only root file system.
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:clerk-sync:/tmp:/sbin/nologin\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
  # Without this file glibc asks DNS before /etc/hosts, and a name Kubernetes writes into /etc/hosts
  # (the pod's own) would go to the cluster's DNS first.
  printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
  echo "$stamp" > "$runtime_stamp"
fi

# The jar with the modification time Jib gives every file (container.filesModificationTime in
# pom.xml, 1970-01-01T00:00:01Z): the JVM uses the class-data-sharing archive only for a jar of the
# size and modification time it was made from.
rm -rf "${root:?}/tmp/"* "${root:?}/data/"* "$root/opt/clerk-sync/"*
cp "$jar" "$root/opt/clerk-sync/clerk-sync.jar"
touch -d @1 "$root/opt/clerk-sync/clerk-sync.jar"
scripts/cds-archive.sh --image-root "$root"
# Training left its temporary files; the image's /tmp and /data start empty.
rm -rf "${root:?}/tmp/"* "${root:?}/tmp/".[!.]* "${root:?}/data/"*
echo "container-root.sh: $root ($(du -sh "$root" | cut -f1))"
