# What a role may not do (disabled buttons and their tooltips). Role names stay as typed
# in `consentry user add NAME --role ROLE`.
permit-refused = Not with the role { $role }: { $what } needs the role { $needed }.
permit-or = or
permit-read = reading the register
permit-check = checking a contact
permit-screen = screening a list
permit-record = recording events and classifying
permit-import = importing
permit-erase = erasing a person
permit-report = making reports
permit-export = exporting
permit-verify = verifying the register
permit-manage-users = managing users
permit-change-settings = changing settings
permit-administer = rekeying or backing up the register
