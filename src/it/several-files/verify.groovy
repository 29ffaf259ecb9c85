// -Dfile=first/alpha.clnrm.toml,second/beta.clnrm.toml (test.properties): both files ran, in the order given,
// each with its own run and report, and nothing is left behind.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

def alpha = index(log, /\[INFO\] Starting 1 service\(s\) of alpha\.clnrm\.toml \(run \p{XDigit}{8}, network clnrm-\p{XDigit}{8}\)/)
def beta = index(log, /\[INFO\] Starting 1 service\(s\) of beta\.clnrm\.toml \(run \p{XDigit}{8}, network clnrm-\p{XDigit}{8}\)/)
assert alpha < beta : 'the files did not run in the order of -Dfile'
index(log, /\[INFO\] Step alpha_says_hello PASSED in $took/)
index(log, /\[INFO\] Step beta_says_hello PASSED in $took/)
index(log, /\[INFO\] Steps: 2 passed, 0 failed, 0 tolerated, 0 skipped/)
index(log, /\[INFO\] BUILD SUCCESS/)

def reports = new File(basedir, 'target/cleanroom-reports')
assert reports.list().findAll { it.startsWith('TEST-') }.sort() == ['TEST-cleanroom.alpha.xml', 'TEST-cleanroom.beta.xml']
def summary = new groovy.json.JsonSlurper().parse(new File(reports, 'cleanroom-summary.json'))
assert summary.counts == [passed: 2, failed: 0, tolerated: 0, skipped: 0]
assert summary.files*.file.collect { new File(it).canonicalPath } ==
        [new File(basedir, 'first/alpha.clnrm.toml').canonicalPath, new File(basedir, 'second/beta.clnrm.toml').canonicalPath]
assert summary.files*.steps*.name == [['alpha_says_hello'], ['beta_says_hello']]
leftovers.expectNothingLeft('dev.cleanroom.it:several-files')

int index(List<String> log, String regex) {
    int found = log.findIndexOf { it ==~ regex }
    assert found >= 0 : "build.log has no line matching /$regex/"
    found
}
