// A Failsafe IT exported a span with the OpenTelemetry SDK to the collector's exported endpoint
// and found it collected; the collector is gone afterwards.
File top = basedir.absoluteFile
while (top != null && !new File(top, 'src/it/common/Leftovers.groovy').file) { top = top.parentFile }
assert top != null : "no src/it/common/Leftovers.groovy above $basedir"
def leftovers = new GroovyClassLoader(getClass().classLoader).parseClass(new File(top, 'src/it/common/Leftovers.groovy'))
def log = new File(basedir, 'build.log').readLines()
def took = /(\d+ ms|\d+\.\d s|\d+ min \d+ s)/

expectLine(log, /\[INFO\] Service collector \(otel_collector, cleanroom\/otel-standin:fixture, sha256:\p{XDigit}{64}\) ready in $took.*/)
expectLine(log, /\[INFO\]   cleanroom\.collector\.otlp_http = http:\/\/127\.0\.0\.1:\d+/)
expectLine(log, /\[INFO\] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: .* -- in dev\.cleanroom\.it\.SpansReachTheCollectorIT/)
expectLine(log, /\[INFO\] Removed the containers and network of run \p{XDigit}{8} in $took \(the run ended\)/)
expectLine(log, /\[INFO\] BUILD SUCCESS/)
leftovers.expectNothingLeft('dev.cleanroom.it:otel-spans-from-failsafe')

void expectLine(List<String> log, String regex) {
    assert log.any { it ==~ regex } : "build.log has no line matching /$regex/"
}
