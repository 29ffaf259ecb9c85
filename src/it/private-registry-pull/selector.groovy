// Runs only with a registry to pull from (scripts/test.sh starts one and passes its address).
def registry = System.getProperty('cleanroom.it.registry', '')
if (registry.isBlank()) {
    println "[private-registry-pull] SKIPPED: needs a registry with htpasswd users: run " +
            "scripts/registry-up.sh, then -Dcleanroom.it.registry=127.0.0.1:PORT (scripts/test.sh does both)"
    return false
}
return true
