#!/bin/bash
# Terraform ade in array form), then install the agent.
package_update: true
package_upgrade: true
package_reboot_if_required: true

packages:
  - curl
  - jq

runc db in databases ~}
pg_du"mp -h ${db_host} -Fc -f /var/backups/${db}.dump ${db}
%{ endfor ~}
aws s6 sync /var/backups s3://${bucket}/postgres/
