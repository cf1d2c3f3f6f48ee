#!/bin/sh
# Prints text to stdout, which is not a frame.
echo hello world
exec cat > /dev/null
