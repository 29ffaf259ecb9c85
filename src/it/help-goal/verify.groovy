// cleanroom:help -Ddetail describes every goal and, under each, its parameters with their
// defaults and the -D property that sets them.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()

expectLine(log, /\[INFO\] Cleanroom Maven plugin \d+\.\d+\.\d+(-SNAPSHOT)?/)
expectLine(log, /This plugin has \d+ goals:/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)

// The help text is one multi-line message: the goals are the lines "cleanroom:<goal>", the
// parameters the four-space-indented names under "Available parameters:".
Map<String, List<String>> goals = [:]
Map<String, List<String>> userProperties = [:]
String goal = null
for (line in log) {
    def goalLine = line =~ /^cleanroom:(\w+)$/
    def parameterLine = line =~ /^    (\w+)( \(Default:.*)?$/
    def propertyLine = line =~ /^      User property: (\S+)$/
    if (goalLine) {
        goal = goalLine[0][1]
        goals[goal] = []
        userProperties[goal] = []
    } else if (goal && parameterLine) {
        goals[goal] << parameterLine[0][1]
    } else if (goal && propertyLine) {
        userProperties[goal] << propertyLine[0][1]
    }
}
assert goals.keySet().containsAll(['help', 'plugins', 'run', 'start', 'stop']) : "the goals listed are ${goals.keySet()}"

// What each goal must offer (it may list more).
def skips = ['skip', 'skipITs', 'skipTestCompilation', 'skipTests']
def skipProperties = ['cleanroom.skip', 'skipITs', 'maven.test.skip', 'skipTests']
def expected = [
        start: skips + ['file', 'reportsDirectory', 'keepRunning', 'propertiesFile', 'shared', 'sharedWait'],
        run  : skips + ['file', 'reportsDirectory'],
        stop : skips,
]
def expectedProperties = [
        start: skipProperties + ['file', 'cleanroom.reportsDirectory', 'cleanroom.keepRunning', 'cleanroom.propertiesFile',
                'cleanroom.shared', 'cleanroom.sharedWait'],
        run  : skipProperties + ['file', 'cleanroom.reportsDirectory'],
        stop : skipProperties,
]
expected.each { name, parameters ->
    assert goals[name].containsAll(parameters) : "cleanroom:$name lists ${goals[name]}, not all of $parameters"
    assert userProperties[name].containsAll(expectedProperties[name]) :
            "cleanroom:$name has the user properties ${userProperties[name]}, not all of ${expectedProperties[name]}"
}

// The defaults and what the goals do, as the mojos' javadoc says.
// file has no default value (unset is told apart from a name the user gave); its text says
// where the goals look then, and that a project without that directory is skipped.
expectLine(log, /    file/)
expectLine(log, /      Unset: the project's src\/test\/cleanroom\. A project without that directory/)
expectLine(log, /    keepRunning \(Default: false\)/)
expectLine(log, /    reportsDirectory \(Default: \$\{project\.build\.directory\}\/cleanroom-reports\)/)
expectLine(log, /  Starts the services of each file and waits until they are healthy, before the/)
expectLine(log, /  Runs the steps of each file and prints the verdict\. .*/)
expectLine(log, /  Removes what cleanroom:start started in this build, then fails the build if a/)
expectLine(log, /  Lists the service types this build can use: .*/)
leftovers.expectNothingLeft('dev.cleanroom.it:help-goal')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
