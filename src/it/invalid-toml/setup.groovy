// Remember when the build began, so verify.groovy can ask Docker what happened since.
new File(basedir, 'started-at').text = String.valueOf(System.currentTimeMillis().intdiv(1000) - 1)
return true // a hook script that returns anything but null or true fails the build
