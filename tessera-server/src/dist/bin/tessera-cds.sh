# Class-data sharing (CDS) for the Tessera launchers: sourced by bin/tessera and by the checkout's ./tessera.
#
# A JVM start spends most of its first seconds finding, parsing and verifying the ~7,000 classes a Tessera start
# loads. A CDS archive holds them already parsed and verified, mapped from one file. It must be made by the very
# JVM that uses it and for the very jars it was made from, so it is made here, on the target machine: the first
# run that finds none (and may write to the archive directory) runs `tessera cds-training` (a throwaway server
# in a temporary directory: start, then restart and a few requests under -XX:DumpLoadedClassList), then
# `java -Xshare:dump` with that list, about 30 s once. The file name carries a checksum of the JVM's and the
# jars' sizes and dates, so a new build or a JDK update makes a new archive instead of using a stale one (a stale
# one would only be ignored by the JVM, costing the speed). TESSERA_CDS=off turns all of this off.
#
# Needs: $java, and $gc and $heap (the collector and heap options the server runs with) set by the caller.

# Prints the JVM option that uses the archive for this JVM and these jars, creating the archive first when it is
# missing; prints nothing when CDS is off, the directory is not writable, or creating it failed before.
tessera_cds_option() { # $1 = archive directory, $2 = class path (as for -cp), $3... = files or directories whose listing identifies the jars
  case "${TESSERA_CDS:-auto}" in off | false | no | 0) return 0 ;; esac
  tessera_cds_dir="$1"
  tessera_cds_cp="$2"
  shift 2
  tessera_cds_stamp="$(tessera_cds_stamp "$@")"
  tessera_cds_archive="$tessera_cds_dir/tessera-$tessera_cds_stamp.jsa"
  if [ ! -f "$tessera_cds_archive" ]; then
    # A failure is remembered, so a machine where the dump cannot work does not pay for it at every start.
    [ ! -f "$tessera_cds_dir/tessera-$tessera_cds_stamp.failed" ] || return 0
    mkdir -p "$tessera_cds_dir" 2>/dev/null || return 0
    [ -w "$tessera_cds_dir" ] || return 0
    tessera_cds_create || return 0
  fi
  echo "-XX:SharedArchiveFile=$tessera_cds_archive"
}

tessera_cds_stamp() {
  tessera_cds_java="$(command -v "$java" 2>/dev/null || echo "$java")"
  tessera_cds_java="$(readlink -f "$tessera_cds_java" 2>/dev/null || echo "$tessera_cds_java")"
  tessera_cds_libjvm="$(dirname "$tessera_cds_java")/../lib/server/libjvm.so"
  [ -f "$tessera_cds_libjvm" ] || tessera_cds_libjvm="$tessera_cds_java"
  # ls -n: sizes and modification times of the JVM and every jar; cksum: a short, stable name
  ls -lLn "$tessera_cds_libjvm" "$@" 2>/dev/null | cksum | cut -d' ' -f1
}

tessera_cds_create() {
  tessera_cds_work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-cds.XXXXXX")" || return 1
  echo "tessera: preparing the class-data sharing archive for fast starts (once per build and JVM, about 30 s)..." >&2
  # Two runs: the first creates a store and key, the second restarts on them and sends requests under
  # -XX:DumpLoadedClassList, so the archive leaves out what only a new store's first start loads (Flyway, key
  # generation): the JVM relocates the whole archive at start, so each class in it costs every server memory.
  # shellcheck disable=SC2086  # $gc and $heap are several words on purpose
  if tessera_cds_run "$tessera_cds_work/prepare.log" "$java" $gc $heap -XX:ErrorFile="$tessera_cds_work/hs_err.log" \
      -cp "$tessera_cds_cp" dev.tessera.server.Main cds-training --prepare "$tessera_cds_work/training" &&
    tessera_cds_run "$tessera_cds_work/training.log" "$java" $gc $heap -XX:ErrorFile="$tessera_cds_work/hs_err.log" \
      -XX:DumpLoadedClassList="$tessera_cds_work/classes" -cp "$tessera_cds_cp" dev.tessera.server.Main cds-training \
      --dir "$tessera_cds_work/training" &&
    tessera_cds_dump "$tessera_cds_work/classes" &&
    cp "$tessera_cds_work/tessera.jsa" "$tessera_cds_archive.$$" && mv "$tessera_cds_archive.$$" "$tessera_cds_archive"; then
    # older archives of this directory belong to other builds or JVMs
    for tessera_cds_old in "$tessera_cds_dir"/tessera-*.jsa "$tessera_cds_dir"/tessera-*.failed; do
      [ "$tessera_cds_old" = "$tessera_cds_archive" ] || rm -f "$tessera_cds_old"
    done
    rm -rf "$tessera_cds_work"
    return 0
  fi
  cat "$tessera_cds_work"/*.log >"$tessera_cds_dir/tessera-$tessera_cds_stamp.failed" 2>/dev/null || true
  rm -f "$tessera_cds_archive.$$"
  rm -rf "$tessera_cds_work"
  echo "tessera: could not prepare the class-data sharing archive; starting without it (slower)." \
    "What went wrong: $tessera_cds_dir/tessera-$tessera_cds_stamp.failed (delete it to try again)" >&2
  return 1
}

tessera_cds_dump() { # $1 = class list
  # shellcheck disable=SC2086
  tessera_cds_run "$tessera_cds_work/dump.log" "$java" $gc $heap -XX:ErrorFile="$tessera_cds_work/hs_err.log" \
    -Xshare:dump -XX:SharedClassListFile="$1" -XX:SharedArchiveFile="$tessera_cds_work/tessera.jsa" \
    -cp "$tessera_cds_cp" && return 0
  # JDK 17 crashes in the dump (JDK-8274944, JDK-8276184, fixed in 18) when the list has a lambda whose caller or
  # interface the archive leaves out: classes of signed jars (Bouncy Castle, the Corretto provider) and pre-Java-6
  # class files (picocli). The failed dump named them; drop those lambdas and dump again. A dump without them can
  # name more (which classes a training run links first varies), so up to three rounds, each list shorter.
  tessera_cds_rounds=$(( ${tessera_cds_rounds:-0} + 1 ))
  [ "$tessera_cds_rounds" -le 3 ] || return 1
  awk '/Skipping / {
         sub(/.*Skipping /, ""); name = $0; sub(/:.*/, "", name)
         if (name !~ /\$\$Lambda/) print name
         if (match($0, /interface [^ ]+ is excluded/)) { split(substr($0, RSTART, RLENGTH), w, " "); print w[2] }
       }' "$tessera_cds_work/dump.log" | sort -u >"$tessera_cds_work/excluded"
  [ -s "$tessera_cds_work/excluded" ] || return 1
  awk 'NR == FNR { excluded[$1] = 1; next }
       /^@lambda-proxy/ {
         if ($2 in excluded) next
         rest = $4; drop = 0
         while (match(rest, /L[^;]+;/)) {
           if (substr(rest, RSTART + 1, RLENGTH - 2) in excluded) drop = 1
           rest = substr(rest, RSTART + RLENGTH)
         }
         if (drop) next
       }
       { print }' "$tessera_cds_work/excluded" "$1" >"$1.without-excluded"
  mv "$tessera_cds_work/dump.log" "$tessera_cds_work/dump-$tessera_cds_rounds.log"
  tessera_cds_dump "$1.without-excluded"
}

# Runs a command with its output in a log. A JVM that crashes makes the shell waiting for it print "Aborted"; that
# shell is this inner one, whose own stderr is dropped, so the launcher's output stays clean.
tessera_cds_run() { # $1 = log file, $2... = command
  sh -c 'log="$1"; shift; "$@" >"$log" 2>&1; exit $?' sh "$@" 2>/dev/null
}
