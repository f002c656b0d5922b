# JVM options for the Tessera launchers that depend on which JVM runs them: sourced by bin/tessera and by the
# checkout's ./tessera. Needs $java (the java command) set by the caller. POSIX sh.

# Prints the option that makes the JVM hand freed C-heap memory back to the OS every two seconds, when this JVM
# has it; prints nothing otherwise (a JVM refuses to start on an option it does not know).
#
# Why: glibc keeps memory that was freed inside its arenas. The JIT's C2 compiler allocates and frees arenas of
# several MiB per compilation, so after warm-up ~20 MiB of freed C heap stays resident for good (measured with
# jcmd System.trim_native_heap on a warmed-up server: RSS 197 -> 176 MiB). A trim every 2 s costs well under a
# millisecond at this size; no CPU cost per token showed in bench runs.
#
# The option (JDK-8293114) exists from 17.0.9 and 21.0.1 on and in every later release. It began experimental and
# became a product option in later updates (JDK-8325496); unlocking experimental options lets both kinds take it
# and changes nothing else.
tessera_trim_option() {
  tessera_jvm_java="$(command -v "$java" 2>/dev/null || echo "$java")"
  tessera_jvm_java="$(readlink -f "$tessera_jvm_java" 2>/dev/null || echo "$tessera_jvm_java")"
  # JAVA_VERSION="17.0.15" in the runtime's release file; no file (or no line) means an unknown JVM: no option
  tessera_jvm_version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$(dirname "$tessera_jvm_java")/../release" 2>/dev/null)"
  echo "$tessera_jvm_version" | awk -F. '
    $1 !~ /^[0-9]+$/ { exit }
    { update = ($3 ~ /^[0-9]+/) ? $3 + 0 : 0 }
    $1 >= 22 || ($1 == 21 && update >= 1) || ($1 == 17 && update >= 9) {
      print "-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=2000"
    }'
}

# Prints the options that make the Amazon Corretto Crypto Provider load its native library from $1 (lib/native,
# unpacked from its jar at build time); prints nothing when that directory has no such library.
#
# Why: by default the provider copies its 9.6 MB library out of its signed jar into the temporary directory at every
# start and loads that copy; on two cores this was the longest step before the first key could be read (0.15-0.45 s
# of waiting at start-up, measured). Loading the library in place also needs no temporary directory that allows
# exec. The provider checks that the library's version matches its jar; if it does not (or -Djava.library.path in
# TESSERA_JAVA_OPTS leaves this directory out), it does not load and Tessera signs with the JDK's providers, saying so
# in a warning at start-up.
tessera_native_crypto_option() { # $1 = directory holding libamazonCorrettoCryptoProvider.so
  [ -f "$1/libamazonCorrettoCryptoProvider.so" ] || return 0
  echo "-Dcom.amazon.corretto.crypto.provider.useExternalLib=true -Djava.library.path=$1"
}
