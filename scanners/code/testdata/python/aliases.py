import hashlib as h
import subprocess as sp
import yaml
from yaml import load as yload, SafeLoader
from flask import request
import requests
import sqlite3


def digest(data):
    # ruleid: weak-crypto
    a = h.md5(data).hexdigest()
    # ok: weak-crypto
    b = h.md5(data, usedforsecurity=False).hexdigest()
    # ok: weak-crypto
    c = h.sha256(data).hexdigest()
    return a + b + c


def config(text):
    # ruleid: deserialization
    first = yload(text)
    # ok: deserialization
    second = yload(text, Loader=SafeLoader)
    # ruleid: deserialization
    third = yaml.load(text)
    # ok: deserialization
    fourth = yaml.safe_load(text)
    return first, second, third, fourth


def handler():
    host = request.args.get("host")
    # ruleid: cmdi
    sp.call("ping -c 1 " + host, shell=True)
    # ok: cmdi
    sp.call(["ping", "-c", "1", "example.com"])
    # ok: cmdi
    doc = "os.system('rm -rf ' + host)"
    # os.system("rm -rf " + host)
    # ruleid: tls
    requests.get("https://example.com/api", verify=False)
    # ok: tls
    requests.get("https://example.com/api", verify=True)
    return doc


def query(user_id):
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    # ruleid: sqli
    cur.execute("SELECT * FROM users WHERE id = '%s'" % user_id)
    # ruleid: sqli
    cur.execute(f"SELECT * FROM users WHERE id = {user_id}")
    # ok: sqli
    cur.execute("SELECT * FROM users WHERE id = ?", (user_id,))
    # ok: sqli
    cur.execute("SELECT * FROM users WHERE id = " + str(int(user_id)))


def reset_link():
    import random
    # ruleid: weak-random
    reset_token = "".join(random.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))
    # ok: weak-random
    delay = random.uniform(0.5, 1.5)
    return reset_token, delay


def run(host):
    import subprocess
    # ruleid: cmdi
    subprocess.run("nslookup " + host, shell=True)
