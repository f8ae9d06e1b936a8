"""(filled in by the imports part of issue 19)"""


def register(router):
    pass
