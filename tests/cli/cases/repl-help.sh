# help lists commands by group; help CMD tells more; a prefix lists matches.
printf '%s\n' 'help' 'help connect' 'help drop' 'help s' 'help ladder' 'help nosuch' 'help conect' | stacklab
