print("smtpx")
