// The registry's address is known only now: write the settings with its <server> and the file
// whose two service images live there, and remove any local copy of them so the goal pulls.
def registry = System.getProperty('cleanroom.it.registry')
def images = ["$registry/private/busybox:1", "$registry/private/alpine:1"]
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
new File(basedir, 'images.clnrm.toml').text = """\
[services.web]
type = "generic_container"
image = "${images[0]}"
command = ["sleep", "30"]

[services.tools]
type = "generic_container"
image = "${images[1]}"
command = ["sleep", "30"]

[[steps]]
name = "echo"
service = "web"
command = ["echo", "hello"]
"""
images.each { ['docker', 'rmi', it].execute().waitFor() }
return true
