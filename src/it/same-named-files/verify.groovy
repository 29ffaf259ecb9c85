// -Dfile=a/smoke.clnrm.toml,b/smoke.clnrm.toml (test.properties), where a's step fails: each
// file has its own JUnit report, named by its path, so a CI dashboard shows a's failure, and
// the build's error names a/smoke.clnrm.toml, not just smoke.clnrm.toml.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()

def reports = new File(basedir, 'target/cleanroom-reports')
assert reports.list().findAll { it.startsWith('TEST-') }.sort() == ['TEST-cleanroom.a.smoke.xml', 'TEST-cleanroom.b.smoke.xml']
def a = suite(new File(reports, 'TEST-cleanroom.a.smoke.xml'))
assert a.getAttribute('name') == 'cleanroom.a.smoke'
assert a.getAttribute('failures') == '1'
assert testcases(a) == ['a_says_hello']
def b = suite(new File(reports, 'TEST-cleanroom.b.smoke.xml'))
assert b.getAttribute('name') == 'cleanroom.b.smoke'
assert b.getAttribute('failures') == '0'
assert testcases(b) == ['b_says_hello']

expectLine(log, /\[ERROR\] Failed to execute goal dev\.cleanroom:cleanroom-maven-plugin:.*:run \(default-cli\) on project same-named-files: Steps: 1 passed, 1 failed, 0 tolerated, 0 skipped/)
expectLine(log, /\[ERROR\] a\/smoke\.clnrm\.toml: Step "a_says_hello".* does not match expected_output_regex \/\^hello from a\$\/.*/)
expectLine(log, /\[INFO\] BUILD FAILURE/)
leftovers.expectNothingLeft('dev.cleanroom.it:same-named-files')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}

/** The {@code <testsuite>} element of a JUnit XML report (groovy-xml is not on the invoker's classpath). */
org.w3c.dom.Element suite(File xml) {
    assert xml.file : "$xml was not written"
    javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml).documentElement
}

List<String> testcases(org.w3c.dom.Element suite) {
    def cases = suite.getElementsByTagName('testcase')
    (0..<cases.length).collect { cases.item(it).getAttribute('name') }
}
