"""Hostile plugin: calls newsclean.clean() while newsclean is loading it (re-entry; used to deadlock)."""

import newsclean

newsclean.clean("warming up")
