-- wrk script: POST the same form body with the same cookies on every request.
-- run.py passes the body and the cookies (a real CSRF token, etc.) in the environment.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
