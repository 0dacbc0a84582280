create database retain_customer;
create database retain_scoring;
create database retain_retention;
