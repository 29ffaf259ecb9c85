// The registry's address is known only now: write the settings with its <server> and the file
// whose service image lives there, and remove any local copy of that image so the build pulls.
def registry = System.getProperty('cleanroom.it.registry')
def image = "$registry/private/busybox:1"
// The password is a fixture of scripts/registry-up.sh (user settings-user), valid only there.
new File(basedir, 'registry-settings.xml').text = """<settings>
  <servers>
    <server>
      <id>$registry</id>
      <username>settings-user</username>
      <password>settings-pw-c40a</password>
    </server>
  </servers>
</settings>
"""
def files = new File(basedir, 'src/test/cleanroom')
files.mkdirs()
new File(files, 'private.clnrm.toml').text = """\
[services.app]
type = "generic_container"
image = "$image"
command = ["sleep", "30"]
stop_timeout = "1s"

[[steps]]
name = "runs_the_private_image"
service = "app"
command = ["echo", "pulled"]
expected_output_regex = "^pulled\$"
"""
['docker', 'rmi', image].execute().waitFor()
return true
