// Starts the other build of this project (mvn verify -Dcleanroom.reuse=true) in the background and
// returns once it holds the reuse lock of contended.clnrm.toml: its log says it starts the
// services, which a build says only with the lock. The invoker's build, started next, must then
// wait for the lock. The other build keeps the lock until that wait shows in build.log (web's
// health check), so the order comes from the logs, not from a guessed delay. The processes go to
// verify.groovy through the invoker's context, which also runs verify.groovy when this script fails.
def background = new GroovyClassLoader(getClass().classLoader).parseClass(new File(basedir, 'Background.groovy'))
def project = 'dev.cleanroom.it:reuse-two-builds-at-once'

context.dockerEvents = background.dockerEvents(basedir, project, System.currentTimeMillis(), 'docker-events.log')
// Its reports and properties go to their own directory: both builds run in this directory.
def own = new File(basedir, 'target/other-build')
context.otherBuild = background.maven(basedir, localRepositoryPath, 'other-build.log', [
        'verify', '-Dcleanroom.reuse=true',
        "-Dcleanroom.reportsDirectory=${new File(own, 'cleanroom-reports').path}".toString(),
        "-Dcleanroom.propertiesFile=${new File(own, 'cleanroom.properties').path}".toString()])
background.awaitLine(context.otherBuild, new File(basedir, 'other-build.log'),
        ~/\[INFO\] Starting 2 service\(s\) of contended\.clnrm\.toml \(reused, .*/, 120)
return true // a hook script that returns anything but null or true fails the build
