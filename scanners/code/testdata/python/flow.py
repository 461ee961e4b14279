import os

from flask import Markup, request


def search():
    query = request.args.get("q")
    if query:
        query = '"{0}"'.format(query.strip())
    else:
        query = '""'
    # ruleid: xss
    return Markup(query)


def run(mode):
    cmd = "ls"
    if mode == "custom":
        cmd = "ls " + request.args.get("dir")
    elif mode == "long":
        cmd = "ls -l"
    # ruleid: cmdi
    os.system(cmd)


def fixed(long):
    if long:
        cmd = "ls -l"
    else:
        cmd = "ls"
    # ok: cmdi
    os.system(cmd)


def lambda_handler(event, context):
    html = "<h1>Hello " + event["queryStringParameters"]["name"] + "</h1>"
    return {
        "statusCode": 200,
        # ruleid: xss
        "body": html,
    }


def lambda_json(event, context):
    return {
        "statusCode": 200,
        # ok: xss
        "body": event["body"],
    }


def read():
    names = []
    names.append(request.args.get("f"))
    # ruleid: path-traversal
    return open(names[0]).read()


def read_static():
    names = []
    names.append("static.txt")
    # ok: path-traversal
    return open(names[0]).read()


class Options:
    pass


def read_option():
    opts = Options()
    opts.path = request.args.get("f")
    # ruleid: path-traversal
    return open(opts.path).read()


def read_fixed_option():
    opts = Options()
    opts.path = "static.txt"
    # ok: path-traversal
    return open(opts.path).read()
