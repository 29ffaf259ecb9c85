// Outside a project: every image of the file is named once, present (local fixtures), none is
// pulled, no service starts and nothing is left.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()

for (image in ['busybox', 'alpine-standin', 'chaos-tools', 'stress-ng']) {
    expectLine(log, /\[INFO\] Image cleanroom\/$image:fixture is present \(sha256:\p{XDigit}{64}\); not pulling it \(pull = "missing"\)/)
}
expectLine(log, /\[INFO\] 4 image\(s\) of 1 file\(s\): 0 pulled, 4 present/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)
assert !log.any { it.contains('Starting ') || it.contains('Pulling') } : 'cleanroom:pull must neither start services nor pull present images'
assert !new File(basedir, 'pom.xml').exists() : 'this project must run without a POM'
leftovers.expectNothingLeft('standalone')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
