// The image came from the private registry with the settings.xml login, and the password is in
// neither the build log (at debug level) nor the reports.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))

def registry = System.getProperty('cleanroom.it.registry')
def image = "$registry/private/busybox:1"
try {
    def log = new File(basedir, 'build.log').text
    assert log.contains("Credentials for $image: settings.xml server `$registry`") :
            'the image was not pulled with the settings.xml login'
    assert log.contains('Steps: 1 passed, 0 failed')
    def texts = ['build.log': log]
    new File(basedir, 'target').eachFileRecurse { f -> if (f.file) { texts[f.path] = f.text } }
    assert texts.size() >= 3 : "expected the log and the reports, got ${texts.keySet()}"
    texts.each { name, text -> assert !text.contains('settings-pw-c40a') : "$name contains the password" }
} finally {
    ['docker', 'rmi', image].execute().waitFor()
}
leftovers.expectNothingLeft('dev.cleanroom.it:private-registry-settings')
