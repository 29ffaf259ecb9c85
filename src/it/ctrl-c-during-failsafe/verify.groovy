// The build was interrupted while its IT ran, services up: the JVM shutdown hook removed them,
// with classes the plugin's realm still had to load then, and nothing is left.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

def signal = new File(basedir, 'target/signal-sent.txt')
assert signal.file : 'the IT did not signal its build'
println "ctrl-c-during-failsafe: the build got SIG${signal.text.trim()}"
expectLine(log, /\[INFO\] Running dev\.cleanroom\.it\.InterruptedBuildIT/)
expectLine(log, /\[INFO\] Removed the containers and network of run \p{XDigit}{8} in $took \(the JVM is shutting down\)/)
assert !log.any { it.contains('NoClassDefFoundError') || it.contains('ClassNotFoundException') } : 'a class was missing at shutdown'
leftovers.expectNothingLeft('dev.cleanroom.it:ctrl-c-during-failsafe')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
