// Neither secret appears anywhere: not in the build log at debug level, not in the reports;
// the masked form does, so the steps really printed them.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))

def secrets = ['pw-7f3a9c2e-secret', 'tok-51d0b8aa-secret']
def log = new File(basedir, 'build.log').text
def reports = new File(basedir, 'target/cleanroom-reports')
assert reports.directory : "no reports in $reports"
def texts = ['build.log': log]
reports.eachFileRecurse { f -> if (f.file) { texts[f.name] = f.text } }
assert texts.size() >= 3 : "expected the log, the JUnit XML and the JSON summary, got ${texts.keySet()}"
texts.each { name, text ->
    secrets.each { secret -> assert !text.contains(secret) : "$name contains the secret $secret" }
}
def junit = texts['TEST-cleanroom.secrets.xml']
assert junit.contains('connecting with **** and ****') : 'the first step\'s output in the report is not the masked one'
assert log.contains('token=****') : 'the failing step did not print the masked token'
assert log.contains('Steps: 1 passed, 1 failed, 0 tolerated, 0 skipped')
leftovers.expectNothingLeft('dev.cleanroom.it:secrets-never-printed')
